#include "server/download_tickets.hpp"

#include "server/random_id.hpp"

namespace fastthread::server {

std::string DownloadTickets::issue(const std::string& key) {
  const auto now = Clock::now();
  expire(now);
  if (tickets_.size() >= kMaxTickets) return "";
  std::string ticket = random_id("t-");
  tickets_[ticket] = Ticket{key, now + kLifetime};
  return ticket;
}

bool DownloadTickets::valid(const std::string& ticket, const std::string& key) {
  const auto now = Clock::now();
  expire(now);
  auto it = tickets_.find(ticket);
  return it != tickets_.end() && it->second.key == key;
}

// Tickets are few and short-lived: a sweep on every use keeps the table small.
void DownloadTickets::expire(Clock::time_point now) {
  for (auto it = tickets_.begin(); it != tickets_.end();) {
    it = it->second.expires <= now ? tickets_.erase(it) : std::next(it);
  }
}

}  // namespace fastthread::server
