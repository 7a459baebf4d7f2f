// The measurements of fastthread-server-bench, each against a fresh `fastthread serve`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench_ws_client.hpp"

namespace fastthread::bench {

struct BenchSetup {
  std::string binary;  // the fastthread program
  std::string file;    // the big CSV
  int fd = -1;         // open on `file`
  std::uint64_t size = 0;
  std::uint64_t scale_size = 0;   // bytes of `file` (to a row's end) per job in the scaling test
  std::uint64_t cancel_size = 0;  // bytes per job in the cancel test
  int cancel_jobs = 50;
  int scale_repeats = 3;
  int idle_clients = 200;
};

// One job from `start` sent to its end.
struct JobResult {
  bool ok = false;      // ended with finish
  std::string error;    // else what happened
  double upload_s = 0;  // start sent -> the host's upload progress at 100%
  double total_s = 0;   // start sent -> finish
  double process_ms = 0;
  std::uint64_t master_rss_peak = 0;  // sampled every 10 ms
  std::uint64_t master_hwm = 0;       // VmHWM after the job
  std::uint64_t worker_rss_peak = 0;  // the largest rss_bytes in the host's pool messages
};

// One big upload through a fresh server (2 workers), timed from start to finish.
JobResult end_to_end(const BenchSetup& setup, const std::string& to);

// The upload alone: the only worker is held by another job (started, waiting for its
// bytes), so the measured job's upload is not slowed by its own parse.
JobResult upload_alone(const BenchSetup& setup);

// Seconds for `fastthread parse FILE --to TO` (output to a temp file, or none).
double parse_alone(const BenchSetup& setup, const std::string& to);

struct ScaleResult {
  std::vector<double> one_s;  // 1 worker, 1 job, each repeat
  std::vector<double> two_s;  // 2 workers, 2 jobs at once from two connections, each repeat
};
ScaleResult scaling(const BenchSetup& setup);

struct CancelResult {
  std::vector<double> ms;  // cancel sent -> the host's cancel, each job
  int ended_before = 0;    // jobs that finished (or failed) before the cancel could reach them
};
// uploaded = false: each job gets 4 MiB of its bytes and is cancelled while parsing and
// waiting for more; true: all its bytes, cancelled while still parsing.
CancelResult cancel_latency(const BenchSetup& setup, bool uploaded);

struct IdleMemory {
  std::uint64_t idle_rss = 0;
  std::uint64_t clients_rss = 0;
  int clients = 0;
};
IdleMemory idle_memory(const BenchSetup& setup);

}  // namespace fastthread::bench
