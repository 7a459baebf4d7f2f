#include "server/scheduler.hpp"

#include <thread>
#include <vector>


namespace fastthread::server {
namespace {

pool::PoolConfig pool_config(const ServerConfig& config, unsigned workers, int argc, char** argv) {
  pool::PoolConfig pc;
  pc.workers = workers;
  pc.memory_limit_bytes = config.worker_memory_bytes;
  pc.recycle_after = config.recycle_after;
  pc.job_timeout = config.job_timeout;
  pc.argc = argc;
  pc.argv = argv;
  return pc;
}

}  // namespace

Scheduler::Scheduler(boost::asio::io_context& io, const ServerConfig& config, int argc, char** argv,
                     pool::PoolEvents events)
    : workers_(config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency())),
      events_(std::move(events)) {
  pool::PoolEvents pe = events_;
  // A worker came free (or anything else changed): give it the next job first, so that
  // what the server reports of the pool already counts it.
  pe.changed = [this] {
    feed();
    if (events_.changed) events_.changed();
  };
  pool_ = std::make_unique<pool::Pool>(io, pool_config(config, workers_, argc, argv), std::move(pe));
}

void Scheduler::start() {
  pool_->start();
}

bool Scheduler::enqueue(ServerJob& job) {
  if (closed_) return false;
  if (!job.queue_hook.is_linked()) queue_.insert(job);
  feed();
  if (events_.changed) events_.changed();
  return true;
}

bool Scheduler::dequeue(const ServerJob& job) {
  if (!job.queue_hook.is_linked()) return false;
  queue_.erase(queue_.iterator_to(job));
  return true;
}

void Scheduler::feed() {
  // The pool's events during a submit come back here: the outer loop goes on.
  if (feeding_) return;
  feeding_ = true;
  while (!queue_.empty() && pool_->idle_workers() > 0) {
    ServerJob& job = *queue_.begin();
    queue_.erase(queue_.begin());
    pool::PoolJob pj = describe_(job);
    const std::string key = pj.id;
    if (!pool_->submit(std::move(pj))) {
      // Only a pool that is shutting down refuses, and then the queue has been emptied.
      pool::JobOutcome outcome;
      outcome.state = JobState::failed;
      outcome.error = JobError{ErrorCode::shutting_down, "the worker pool takes no new jobs (shutting down)",
                               std::nullopt};
      if (events_.finished) events_.finished(key, outcome);
    }
  }
  feeding_ = false;
}

bool Scheduler::data_available(const std::string& key, std::uint64_t available, bool complete) {
  return pool_->data_available(key, available, complete);
}

bool Scheduler::cancel(const std::string& key) {
  return pool_->cancel(key);
}

pool::PoolStats Scheduler::stats() const {
  pool::PoolStats s = pool_->stats();
  s.queued += queue_.size();
  return s;
}

void Scheduler::shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done) {
  closed_ = true;
  // Taken out first, by key: ending a job takes it out of the queue (dequeue), and the
  // handler of one end may do anything to other jobs.
  std::vector<std::string> keys;
  for (const ServerJob& job : queue_) keys.push_back(job.key);
  queue_.clear();
  for (const auto& key : keys) {
    pool::JobOutcome outcome;
    outcome.state = JobState::failed;
    outcome.error = JobError{ErrorCode::shutting_down, "the server is shutting down", std::nullopt};
    if (events_.finished) events_.finished(key, outcome);
  }
  pool_->shutdown(drain, drain_timeout, std::move(done));
}

protocol::PoolStatus to_protocol(const pool::PoolStats& s) {
  protocol::PoolStatus out;
  out.host = "server";
  out.workers = s.workers;
  out.busy = s.busy;
  out.queued = s.queued;
  out.done = s.done;
  out.failed = s.failed;
  for (const auto& w : s.per_worker) {
    protocol::WorkerStatus ws;
    ws.index = w.index;
    ws.pid = w.pid;
    ws.state = std::string(pool::to_string(w.state));
    ws.job = w.job_id;
    ws.jobs_done = w.jobs_done;
    ws.rss_bytes = w.rss_bytes;
    ws.cpu_seconds = w.cpu_seconds;
    out.per_worker.push_back(std::move(ws));
  }
  return out;
}

}  // namespace fastthread::server
