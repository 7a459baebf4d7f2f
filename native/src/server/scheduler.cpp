#include "server/scheduler.hpp"

#include <thread>

#include "pool/pool.hpp"

namespace fastthread::server {

struct Scheduler::Impl {
  pool::Pool pool;
  Impl(boost::asio::io_context& io, pool::PoolConfig config, pool::PoolEvents events)
      : pool(io, std::move(config), std::move(events)) {}
};

namespace {

WorkerOutcome convert(const pool::JobOutcome& o) {
  WorkerOutcome out;
  out.state = std::string(to_string(o.state));
  out.summary = o.summary();
  out.error = o.error;
  out.worker = o.worker;
  out.queued_ms = o.timings.queued_ms;
  out.process_ms = o.timings.process_ms;
  return out;
}

}  // namespace

Scheduler::Scheduler(boost::asio::io_context& io, const ServerConfig& config, int argc, char** argv,
                     SchedulerEvents events)
    : workers_(config.workers ? config.workers : std::max(1u, std::thread::hardware_concurrency())) {
  pool::PoolConfig pc;
  pc.workers = workers_;
  pc.memory_limit_bytes = config.worker_memory_bytes;
  pc.recycle_after = config.recycle_after;
  pc.job_timeout = config.job_timeout;
  pc.argc = argc;
  pc.argv = argv;
  pool::PoolEvents pe;
  pe.started = events.started;
  pe.progress = [cb = events.progress](const std::string& id, const pool::ProgressMessage& p) {
    if (cb) cb(id, p.bytes, p.rows);
  };
  pe.finished = [cb = events.finished](const std::string& id, const pool::JobOutcome& o) {
    if (cb) cb(id, convert(o));
  };
  pe.changed = events.changed;
  impl_ = std::make_unique<Impl>(io, std::move(pc), std::move(pe));
}

Scheduler::~Scheduler() = default;

void Scheduler::start() {
  impl_->pool.start();
}

bool Scheduler::submit(const ScheduledJob& job) {
  pool::PoolJob pj;
  pj.id = job.key;
  pj.name = job.name;
  pj.input_path = job.input_path;
  pj.output_path = job.output_path;
  pj.options = job.options;
  pj.available = job.available;
  pj.complete = job.complete;
  pj.priority = job.priority;
  return impl_->pool.submit(std::move(pj));
}

void Scheduler::data_available(const std::string& key, std::uint64_t available, bool complete) {
  impl_->pool.data_available(key, available, complete);
}

bool Scheduler::cancel(const std::string& key) {
  return impl_->pool.cancel(key);
}

protocol::PoolStatus Scheduler::status() const {
  pool::PoolStats s = impl_->pool.stats();
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

void Scheduler::shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done) {
  impl_->pool.shutdown(drain, drain_timeout, std::move(done));
}

}  // namespace fastthread::server
