// How many connections are open, in all and per remote address, against --max-connections
// and --max-connections-per-address; and the few refused connections being answered.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

namespace fastthread::server {

// Refused connections answered (a 503 with its reason) at once; past them a refused
// connection is closed without an answer, so refusing never needs many descriptors.
constexpr std::uint64_t kAnsweredRefusals = 8;

class ConnectionLimits {
 public:
  enum class Verdict { admitted, server_full, address_full };

  // `per_address` 0: no cap per address.
  ConnectionLimits(std::uint64_t total, std::uint64_t per_address)
      : total_(total), per_address_(per_address) {}

  // Counts the connection when it is admitted; release() uncounts it.
  Verdict admit(const std::string& address);
  void release(const std::string& address);
  std::uint64_t open() const { return open_; }
  std::uint64_t open_from(const std::string& address) const;

  // A place to answer a refused connection; false when kAnsweredRefusals are in use.
  bool begin_answer();
  void end_answer() { --answering_; }

 private:
  std::uint64_t total_;
  std::uint64_t per_address_;
  std::uint64_t open_ = 0;
  std::uint64_t answering_ = 0;
  std::unordered_map<std::string, std::uint64_t> by_address_;
};

}  // namespace fastthread::server
