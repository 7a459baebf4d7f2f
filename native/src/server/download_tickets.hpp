// Short-lived download links. A browser follows a plain link to save a file, and a link
// cannot carry an Authorization header; so the owner asks for a ticket (POST
// /api/jobs/KEY/ticket) and gets "/api/jobs/KEY/output?ticket=T", good for one minute and
// for that job only. The token itself never goes into a URL.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <string>

namespace fastthread::server {

class DownloadTickets {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kLifetime{60};
  static constexpr std::size_t kMaxTickets = 10000;

  // A new ticket for the job `key`; "" when kMaxTickets live ones are out already.
  std::string issue(const std::string& key);
  // True when `ticket` was issued for `key` and has not expired.
  bool valid(const std::string& ticket, const std::string& key);
  std::size_t size() const { return tickets_.size(); }

 private:
  void expire(Clock::time_point now);

  struct Ticket {
    std::string key;
    Clock::time_point expires;
  };
  std::map<std::string, Ticket> tickets_;
  // Every ticket lives kLifetime: they expire in the order they were issued.
  std::deque<std::string> by_issue_;
};

}  // namespace fastthread::server
