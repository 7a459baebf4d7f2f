// The open-file limit and the connections it leaves room for. At start the soft
// RLIMIT_NOFILE is raised to the hard one; the master then needs descriptors for its own
// use (stdio, the event loop, the listener, a channel per worker, files it opens for a
// moment, the refused connections it answers) and two per connection (its socket and a
// file it may be sending). --max-connections is lowered to what fits, so the server runs
// out of connections before it runs out of descriptors.
#pragma once

#include <cstdint>

namespace fastthread::server {

// A socket, and the file an HTTP response may be streaming from.
constexpr std::uint64_t kDescriptorsPerConnection = 2;

struct OpenFileLimit {
  std::uint64_t soft = 0;  // in force after raising
  std::uint64_t hard = 0;
  std::uint64_t was = 0;  // the soft limit before
};

// Raises the soft limit as far as the hard limit (and the kernel's nr_open) allow.
OpenFileLimit raise_open_file_limit();

// The descriptors the master needs besides its connections.
std::uint64_t reserved_descriptors(unsigned workers, std::uint64_t answered_refusals);

struct ConnectionBudget {
  std::uint64_t reserved = 0;         // reserved_descriptors()
  std::uint64_t max_connections = 0;  // what was asked, or less when it does not fit; 0: none fits
  bool lowered = false;
};

// How many of the `asked` connections fit in `limit` descriptors.
ConnectionBudget budget_connections(std::uint64_t limit, unsigned workers, std::uint64_t answered_refusals,
                                    std::uint64_t asked);

}  // namespace fastthread::server
