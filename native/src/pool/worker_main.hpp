// The worker process: runs jobs the master sends over its channel, one at a time.
//
// Frames master -> worker (see frame.hpp for the framing):
//   {"op":"start","id":"j1","name":"big.csv","input":"/spool/j1.upload","output":"/results/j1.out",
//    "options":{...JobOptions JSON...},"available":123456,"complete":false}
//   {"op":"data","id":"j1","available":234567,"complete":true}  more of the input is in the file
//   {"op":"cancel","id":"j1"}
//   {"op":"stop"}                                  exit after the current job; EOF: exit now
// Frames worker -> master:
//   {"op":"ready","pid":1234,"jobs":0}
//   {"op":"progress","id":"j1","phase":"parse","bytes":N,"total":N|null,"rows":N,"errors":N}
//       at most one per progress_interval, after a chunk that was not the last
//   {"op":"finish","id":"j1","state":"done"|"failed"|"cancelled",
//    "error":{"code","message","place"?}|null,"process_ms":12.5,"progress":{...}?}
//       + attachment: the summary's JSON text (none when the job did not get that far)
//       "progress" is the final progress message (every available byte consumed), there
//       for every job that ran to its summary; the master reports it before the finish.
// Error codes a worker gives (fastthread::ErrorCode): the core's (parse_error, cancelled),
// cancelled, bad_request (bad options), io_error (input or output file), out_of_memory.
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
