// The pool of forked worker processes that run jobs for the server (master side).
//
// The master is single-threaded: the pool lives on one io_context it does not own, and
// every call and every event happens on that io_context's thread. That is what makes it
// safe to fork replacement workers at any time (no other thread can hold the allocator's
// lock in the child). Keep it so: the server must not start threads in this process.
//
// Each worker has a Unix socketpair to the master carrying framed JSON (frame.hpp; the
// messages are defined in messages.hpp). A worker that sends a frame or a message that
// does not decode, or a second "ready", is killed and replaced, and its job fails: nothing
// a worker sends can bring the master down or lose a job. The queue lives in the master: a queued job is
// cancelled without any worker hearing of it. Dead workers are reaped on SIGCHLD by the
// io_context (Asio's signal_set; no work in a signal handler) and replaced.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fastthread/job.hpp"
#include "pool/frame.hpp"
#include "pool/messages.hpp"

namespace boost::asio {
class io_context;
}

namespace fastthread::pool {

struct PoolConfig {
  unsigned workers = 1;
  std::uint64_t memory_limit_bytes = 0;          // per worker (RLIMIT_AS); 0: none
  unsigned recycle_after = 0;                    // replace a worker after this many jobs; 0: never
  std::chrono::milliseconds cancel_grace{2000};  // cancel (or stop) -> SIGKILL if still running
  std::chrono::milliseconds job_timeout{0};      // from the job's start on a worker; 0: none
  // First delay before respawning a worker that died before it said "ready"; doubles with
  // each such failure in a row (up to 64 times). A worker that was ready is replaced at once.
  std::chrono::milliseconds respawn_backoff{500};
  std::size_t chunk_bytes = 1 << 20;  // bytes a worker reads and parses at a time
  std::chrono::milliseconds progress_interval{100};
  int argc = 0;  // main()'s argv block, which the workers overwrite with their titles
  char** argv = nullptr;
};

struct PoolJob {
  std::string id;           // unique among the jobs the pool holds
  std::string name;         // the file name (titles; the options' "name" if they have none)
  std::string input_path;   // read up to `available` bytes; more may be appended later
  std::string output_path;  // created or truncated by the worker
  nlohmann::json options = nlohmann::json::object();  // JobOptions JSON
  std::uint64_t available = 0;
  bool complete = false;  // `available` is the whole input
  int priority = 0;       // higher first; first come, first served within a priority
};

struct JobTimings {
  double queued_ms = 0;   // submit -> a worker took it
  double process_ms = 0;  // on the worker (as the worker measured it, or until it died)
  double total_ms = 0;    // submit -> finished
};

// How a job ended. Error codes from the pool itself: cancelled, worker_crashed (message
// names the worker, its pid and the signal, e.g. "worker 2 (pid 123) was killed by
// SIGKILL", or "worker 2 (pid 123) broke the protocol and was killed: finish: field 'id'
// is missing"), timeout, shutting_down; from the worker: out_of_memory, bad_request,
// io_error and the core's codes (parse_error, cancelled); all from fastthread::ErrorCode.
struct JobOutcome {
  JobState state = JobState::failed;  // done, failed or cancelled
  // The summary as the worker wrote it: compact JSON text, keys in the core's order; empty
  // unless the job ran to a summary. The pool passes it on without parsing it.
  std::string summary_text;
  // summary_text parsed (null when it is empty or not JSON). Parses on every call.
  Json summary() const;
  std::optional<JobError> error;
  std::optional<unsigned> worker;  // the slot that ran it; nullopt if it never started
  int pid = 0;                     // that worker's pid; 0 if it never started
  JobTimings timings;
};

// Every callback runs on the io_context's thread, possibly from inside a Pool call (e.g.
// cancel() of a queued job calls `finished` before it returns). A callback may call the
// pool again. Any may be empty.
struct PoolEvents {
  std::function<void(const std::string& id, unsigned worker, int pid)> started;
  // The worker's progress message, as it sent it.
  std::function<void(const std::string& id, const ProgressMessage& progress)> progress;
  std::function<void(const std::string& id, const JobOutcome& outcome)> finished;
  std::function<void()> changed;  // anything in stats() may have changed
};

enum class WorkerState {
  starting,  // forked, not ready yet
  idle,
  busy,
  stopping,  // told to stop, recycling or being killed; not given jobs
  down,      // no process: waiting out the respawn back-off
};
std::string_view to_string(WorkerState state);

struct WorkerStats {
  unsigned index = 0;
  int pid = 0;  // 0 when down
  WorkerState state = WorkerState::down;
  std::string job_id;           // empty unless busy
  std::uint64_t jobs_done = 0;  // by this slot's current process
  std::uint64_t rss_bytes = 0;
  double cpu_seconds = 0;
};

struct PoolStats {
  unsigned workers = 0;  // processes alive (any state but down)
  unsigned busy = 0;
  std::size_t queued = 0;
  std::uint64_t done = 0, failed = 0, cancelled = 0;  // jobs ended since start
  std::uint64_t spawned = 0;                          // worker processes forked since start
  std::vector<WorkerStats> per_worker;
  // {"workers","busy","queued","done","failed","cancelled","per_worker":[{"index","pid",
  // "state","job","jobs_done","rss_bytes","cpu_seconds"}],"spawned"} for the protocol's `pool` message.
  Json to_json() const;
};

class Pool {
 public:
  Pool(boost::asio::io_context& io, PoolConfig config, PoolEvents events);
  // Kills and reaps any worker still alive (blocking), so no child outlives the pool.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // Forks the workers. Call once, before the process starts any thread.
  void start();

  // Queues a job and hands it to an idle worker if there is one. False (and no event) when
  // the pool is shutting down or already holds a job with this id.
  bool submit(PoolJob job);

  // The input file of `id` now holds `available` bytes (`complete`: that is all of it).
  // False for an unknown id.
  bool data_available(const std::string& id, std::uint64_t available, bool complete);

  // A queued job ends at once (finished: cancelled) without a worker hearing of it. A
  // running one gets a cancel message; it ends when its worker answers, or after
  // cancel_grace when the worker is killed and replaced. False for an unknown id.
  bool cancel(const std::string& id);

  PoolStats stats() const;

  // Workers that would start a job submitted now: idle ones beyond what the queue holds.
  // A caller that keeps its own queue submits only this many (and again on `changed`).
  unsigned idle_workers() const;

  // drain: refuse submits, end queued jobs (failed: shutting_down), let running jobs finish
  // for up to drain_timeout, then kill what still runs (failed: shutting_down), stop the
  // idle workers. Not drain: end queued and running jobs (failed: shutting_down) and kill
  // every worker now. Either way `done` is called once every worker has been reaped.
  // A second call can turn a drain into an immediate stop.
  void shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace fastthread::pool
