#include "server/connection_limits.hpp"

namespace fastthread::server {

ConnectionLimits::Verdict ConnectionLimits::admit(const std::string& address) {
  if (open_ >= total_) return Verdict::server_full;
  auto& from = by_address_[address];
  if (per_address_ != 0 && from >= per_address_) return Verdict::address_full;
  ++from;
  ++open_;
  return Verdict::admitted;
}

void ConnectionLimits::release(const std::string& address) {
  --open_;
  auto it = by_address_.find(address);
  if (it == by_address_.end()) return;
  // An address with nothing open holds no memory: a scan of many addresses leaves none.
  if (--it->second == 0) by_address_.erase(it);
}

std::uint64_t ConnectionLimits::open_from(const std::string& address) const {
  auto it = by_address_.find(address);
  return it == by_address_.end() ? 0 : it->second;
}

bool ConnectionLimits::begin_answer() {
  if (answering_ >= kAnsweredRefusals) return false;
  ++answering_;
  return true;
}

}  // namespace fastthread::server
