// Memory and CPU of a process, read from /proc (for the pool's statistics).
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace fastthread::pool {

struct ProcessUsage {
  std::uint64_t rss_bytes = 0;  // resident set, from /proc/<pid>/statm
  double cpu_seconds = 0;       // user + system time, from /proc/<pid>/stat
};

// Zeros when the process is gone or /proc cannot be read.
ProcessUsage read_process_usage(pid_t pid);

}  // namespace fastthread::pool
