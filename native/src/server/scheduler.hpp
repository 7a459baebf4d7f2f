// The server's door to the worker pool (native/src/pool): the jobs waiting for a worker,
// in order (higher priority first, then first come), handed to the pool one at a time as
// its workers come free. So the pool holds at most one job per idle worker, and a long
// queue costs the master a set entry per job instead of the pool's full description of
// it, which is made (describe) only when a worker is ready for it; the entry itself is a
// hook in the job (ServerJob::queue_hook). The pool's own types
// (PoolEvents, JobOutcome, PoolStats) pass through unchanged.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/intrusive/set.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "fastthread/protocol.hpp"
#include "pool/pool.hpp"
#include "server/config.hpp"
#include "server/server_job.hpp"

namespace fastthread::server {

class Scheduler {
 public:
  Scheduler(boost::asio::io_context& io, const ServerConfig& config, int argc, char** argv, pool::PoolEvents events);
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();  // forks the workers: before any thread exists
  // How a queued job becomes the pool's, once a worker is free for it. Set once, before
  // the first enqueue.
  void describe_with(std::function<pool::PoolJob(ServerJob&)> describe) { describe_ = std::move(describe); }

  // Queues a job (its phase is queued); the pool may start it before this returns. False
  // when the pool takes no new jobs (shutting down).
  bool enqueue(ServerJob& job);
  // Takes a job out of the queue if it is still there, silently: the caller ends it. True
  // if it was there. Every job that leaves the queued phase must pass here, since the
  // queue points at it.
  bool dequeue(const ServerJob& job);
  // A job the pool holds: see pool::Pool. False when the pool does not hold it.
  bool data_available(const std::string& key, std::uint64_t available, bool complete);
  bool cancel(const std::string& key);

  // The pool's, with this queue counted in `queued`.
  pool::PoolStats stats() const;
  unsigned configured_workers() const { return workers_; }
  // The queue's jobs end first (failed: shutting_down), then the pool shuts down.
  void shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done);

 private:
  // Hands the first queued jobs to the pool while it has idle workers.
  void feed();

  // Higher priority first, then first come: the first job is the next.
  struct Order {
    bool operator()(const ServerJob& a, const ServerJob& b) const {
      return a.priority != b.priority ? a.priority > b.priority : a.seq < b.seq;
    }
  };
  unsigned workers_;
  pool::PoolEvents events_;
  std::unique_ptr<pool::Pool> pool_;
  std::function<pool::PoolJob(ServerJob&)> describe_;
  boost::intrusive::set<ServerJob, boost::intrusive::member_hook<ServerJob, IndexHook, &ServerJob::queue_hook>,
                        boost::intrusive::compare<Order>, boost::intrusive::constant_time_size<true>>
      queue_;
  bool feeding_ = false;
  bool closed_ = false;
};

// The pool as the protocol's `pool` message and /healthz tell it.
protocol::PoolStatus to_protocol(const pool::PoolStats& stats);

}  // namespace fastthread::server
