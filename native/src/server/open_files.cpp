#include "server/open_files.hpp"

#include <sys/resource.h>

#include <fstream>

namespace fastthread::server {
namespace {

// stdin, stdout, stderr (the log); epoll, its interrupter and timer; the signal pipe; the
// listening socket; the resolver and whatever a library opens at start.
constexpr std::uint64_t kProcessDescriptors = 16;
// Files the master opens for a moment: spool appends, result records, /proc reads for the
// pool's numbers, the token file on SIGHUP.
constexpr std::uint64_t kTransientDescriptors = 16;
// A worker's channel, and its replacement's while the dead one is reaped.
constexpr std::uint64_t kDescriptorsPerWorker = 2;

// The most any process may have open (Linux's fs.nr_open), for a hard limit of "unlimited".
std::uint64_t kernel_maximum() {
  std::ifstream in("/proc/sys/fs/nr_open");
  std::uint64_t n = 0;
  if (in >> n && n > 0) return n;
  return 1u << 20;
}

}  // namespace

OpenFileLimit raise_open_file_limit() {
  OpenFileLimit result;
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return result;
  result.was = limit.rlim_cur;
  if (limit.rlim_cur != limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max == RLIM_INFINITY ? kernel_maximum() : limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  result.soft = limit.rlim_cur == RLIM_INFINITY ? kernel_maximum() : limit.rlim_cur;
  result.hard = limit.rlim_max == RLIM_INFINITY ? kernel_maximum() : limit.rlim_max;
  return result;
}

std::uint64_t reserved_descriptors(unsigned workers, std::uint64_t answered_refusals) {
  return kProcessDescriptors + kTransientDescriptors + kDescriptorsPerWorker * workers + answered_refusals;
}

ConnectionBudget budget_connections(std::uint64_t limit, unsigned workers, std::uint64_t answered_refusals,
                                    std::uint64_t asked) {
  ConnectionBudget budget;
  budget.reserved = reserved_descriptors(workers, answered_refusals);
  const std::uint64_t fit =
      limit > budget.reserved ? (limit - budget.reserved) / kDescriptorsPerConnection : 0;
  budget.max_connections = std::min(asked, fit);
  budget.lowered = budget.max_connections < asked;
  return budget;
}

}  // namespace fastthread::server
