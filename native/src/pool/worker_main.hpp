// The worker process: runs jobs the master sends over its channel, one at a time.
//
// The messages both ways are in messages.hpp (the framing in frame.hpp). A worker answers
// every start with one finish, and with progress in between for a job longer than one
// chunk. Error codes a worker gives (fastthread::ErrorCode): the core's (parse_error,
// cancelled), cancelled, bad_request (bad options), io_error (input or output file),
// out_of_memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace fastthread::pool {

struct WorkerConfig {
  unsigned index = 0;                    // the slot number shown in titles and reports
  std::uint64_t memory_limit_bytes = 0;  // RLIMIT_AS; 0: no limit
  unsigned recycle_after = 0;            // exit (status 0) after this many jobs; 0: never
  std::size_t chunk_bytes = 1 << 20;     // bytes read from the input at a time
  std::chrono::milliseconds progress_interval{100};
  int argc = 0;  // the program's argv block, overwritten with the worker's title
  char** argv = nullptr;
};

// How a worker process ends. The master respawns after every kind; one that ends before
// it said "ready" counts as a failed start, and failed starts in a row are spaced out.
enum WorkerExit : int {
  kWorkerExitOk = 0,           // stop, EOF, or recycled
  kWorkerExitFatal = 70,       // could not set itself up
  kWorkerExitProtocol = 71,    // the master sent a malformed frame
  kWorkerExitOutOfMemory = 72  // a job hit the memory limit; a fresh process is cleaner
};

// The worker's loop, on the channel `fd` (blocking I/O with poll; no Asio, no threads).
// Sets the process up first: SIGINT/SIGTERM/SIGPIPE ignored, every other signal at its
// default action (a crash must reach the master as a signal), the memory limit, the title.
// Never returns: leaves with _exit, so no destructor or atexit handler of the forked master
// runs in the child.
[[noreturn]] void run_worker(int fd, const WorkerConfig& config);

}  // namespace fastthread::pool
