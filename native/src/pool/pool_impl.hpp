// The pool's state (internal): a slot table of workers, the queue, and the phase.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <unordered_map>

#include "pool/master_channel.hpp"
#include "pool/pool.hpp"
#include "pool/process_usage.hpp"

namespace fastthread::pool {

using Clock = std::chrono::steady_clock;
inline constexpr std::chrono::milliseconds kUsageMaxAge{250};

struct Pool::Impl : std::enable_shared_from_this<Pool::Impl> {
  struct RunningJob {
    PoolJob job;
    Clock::time_point submitted, started;
    bool cancel_requested = false;
    bool timed_out = false;
    bool shutting_down = false;
  };

  // One worker place. A process comes and goes in it; `pid` tells which process a timer
  // or a message belongs to, so late ones for an earlier process are dropped.
  struct Slot {
    Slot(boost::asio::io_context& io, unsigned i)
        : index(i), kill_timer(io), timeout_timer(io), respawn_timer(io) {}
    unsigned index;
    pid_t pid = 0;
    WorkerState state = WorkerState::down;
    std::shared_ptr<detail::MasterChannel> channel;
    std::optional<RunningJob> running;
    std::uint64_t jobs_done = 0;
    bool ready = false;          // the process said "ready"
    std::string protocol_error;  // what the process sent that got it killed; empty: nothing
    bool reaped = false;         // waitpid has its status...
    int status = 0;
    bool channel_closed = false;  // ...and its channel hit EOF: only then is it gone
    unsigned failed_starts = 0;   // processes in a row that died before "ready"
    bool kill_armed = false;
    boost::asio::steady_timer kill_timer, timeout_timer, respawn_timer;
    // stats() reads /proc at most once per kUsageMaxAge for a process: the server asks on
    // every change, which is several times per tiny job.
    mutable pid_t usage_pid = 0;
    mutable Clock::time_point usage_read{};
    mutable ProcessUsage usage;
  };

  struct QueuedJob {
    PoolJob job;
    Clock::time_point submitted;
  };
  // Sorted so that the first entry is the next job: higher priority, then earlier arrival.
  using QueueKey = std::pair<int, std::uint64_t>;  // (-priority, arrival number)

  enum class Phase { created, running, draining, stopping, stopped };

  Impl(boost::asio::io_context& io_, PoolConfig config_, PoolEvents events_)
      : io(io_),
        config(std::move(config_)),
        events(std::move(events_)),
        child_signals(io_),
        drain_timer(io_) {}

  boost::asio::io_context& io;
  PoolConfig config;
  PoolEvents events;
  std::vector<std::unique_ptr<Slot>> slots;
  std::map<QueueKey, QueuedJob> queue;
  std::unordered_map<std::string, QueueKey> queued_ids;
  std::uint64_t arrivals = 0;
  boost::asio::signal_set child_signals;
  boost::asio::steady_timer drain_timer;
  Phase phase = Phase::created;
  std::vector<std::function<void()>> on_stopped;
  std::uint64_t done = 0, failed = 0, cancelled = 0, spawned = 0;

  // Jobs (pool.cpp).
  bool submit(PoolJob job);
  bool data_available(const std::string& id, std::uint64_t available, bool complete);
  bool cancel(const std::string& id);
  PoolStats stats() const;
  unsigned idle_workers() const;
  void dispatch();
  // Gives queued jobs to idle workers (start messages only); announce() raises `started`.
  std::vector<std::pair<Slot*, std::string>> hand_out();
  void announce(const std::vector<std::pair<Slot*, std::string>>& handed);
  void start_job(Slot& slot, QueuedJob queued);
  void on_message(Slot& slot, Json message);
  void on_finish(Slot& slot, FinishMessage& finish);
  void on_timeout(Slot& slot);
  void end_job(Slot& slot, JobOutcome outcome);  // close_job + report_end
  // Takes the job off the slot and fills in the outcome's worker, timings and counts.
  std::string close_job(Slot& slot, JobOutcome& outcome);
  void report_end(const std::string& id, const JobOutcome& outcome);  // finished, changed
  void end_queued(ErrorCode code, const std::string& message);
  Slot* find_running(const std::string& id);
  void changed();

  // Processes (pool_supervisor.cpp).
  void start();
  void spawn(Slot& slot);
  void watch_children();
  void reap();
  void on_channel_closed(Slot& slot, pid_t pid, const std::string& error);
  void refuse(Slot& slot, const std::string& why);  // the worker broke the protocol
  void finalize(Slot& slot);
  void arm_kill(Slot& slot);
  void stop_worker(Slot& slot);
  void shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done);
  void stop_now();
  void check_stopped();
  void destroy();
};

}  // namespace fastthread::pool
