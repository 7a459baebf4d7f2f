#include "server/download_tickets.hpp"

#include "server/random_id.hpp"

namespace fastthread::server {

std::string DownloadTickets::issue(const std::string& key) {
  const auto now = Clock::now();
  expire(now);
  if (tickets_.size() >= kMaxTickets) return "";
  std::string ticket = random_id("t-");
  tickets_[ticket] = Ticket{key, now + kLifetime};
  by_issue_.push_back(ticket);
  return ticket;
}

bool DownloadTickets::valid(const std::string& ticket, const std::string& key) {
  const auto now = Clock::now();
  expire(now);
  auto it = tickets_.find(ticket);
  return it != tickets_.end() && it->second.key == key;
}

// Only the oldest can have expired: each use costs what it removes.
void DownloadTickets::expire(Clock::time_point now) {
  while (!by_issue_.empty()) {
    auto it = tickets_.find(by_issue_.front());
    if (it != tickets_.end() && it->second.expires > now) break;
    if (it != tickets_.end()) tickets_.erase(it);
    by_issue_.pop_front();
  }
}

}  // namespace fastthread::server
