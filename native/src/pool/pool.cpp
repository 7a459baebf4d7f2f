#include "pool/pool.hpp"

#include "pool/pool_impl.hpp"
#include "pool/process_usage.hpp"

namespace fastthread::pool {
namespace {

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

JobError make_error(ErrorCode code, std::string message) {
  return JobError{code, std::move(message), {}};
}

}  // namespace

std::string_view to_string(WorkerState state) {
  switch (state) {
    case WorkerState::starting:
      return "starting";
    case WorkerState::idle:
      return "idle";
    case WorkerState::busy:
      return "busy";
    case WorkerState::stopping:
      return "stopping";
    case WorkerState::down:
      return "down";
  }
  return "down";
}

Json JobOutcome::summary() const {
  if (summary_text.empty()) return nullptr;
  Json parsed = Json::parse(summary_text, nullptr, false);
  return parsed.is_discarded() ? Json(nullptr) : parsed;
}

Json PoolStats::to_json() const {
  Json workers_json = Json::array();
  for (const auto& w : per_worker) {
    workers_json.push_back({{"index", w.index},
                            {"pid", w.pid},
                            {"state", to_string(w.state)},
                            {"job", w.job_id.empty() ? Json(nullptr) : Json(w.job_id)},
                            {"jobs_done", w.jobs_done},
                            {"rss_bytes", w.rss_bytes},
                            {"cpu_seconds", w.cpu_seconds}});
  }
  return Json{{"workers", workers},
              {"busy", busy},
              {"queued", queued},
              {"done", done},
              {"failed", failed},
              {"cancelled", cancelled},
              {"per_worker", std::move(workers_json)},
              {"spawned", spawned}};
}

Pool::Pool(boost::asio::io_context& io, PoolConfig config, PoolEvents events)
    : impl_(std::make_shared<Impl>(io, std::move(config), std::move(events))) {}
Pool::~Pool() {
  impl_->destroy();
}
void Pool::start() {
  impl_->start();
}
bool Pool::submit(PoolJob job) {
  return impl_->submit(std::move(job));
}
bool Pool::data_available(const std::string& id, std::uint64_t available, bool complete) {
  return impl_->data_available(id, available, complete);
}
bool Pool::cancel(const std::string& id) {
  return impl_->cancel(id);
}
PoolStats Pool::stats() const {
  return impl_->stats();
}
unsigned Pool::idle_workers() const {
  return impl_->idle_workers();
}
void Pool::shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done) {
  impl_->shutdown(drain, drain_timeout, std::move(done));
}

bool Pool::Impl::submit(PoolJob job) {
  if (phase != Phase::running && phase != Phase::created) return false;
  if (queued_ids.count(job.id) != 0 || find_running(job.id) != nullptr) return false;
  const QueueKey key{-job.priority, arrivals++};
  queued_ids.emplace(job.id, key);
  queue.emplace(key, QueuedJob{std::move(job), Clock::now()});
  dispatch();
  changed();
  return true;
}

bool Pool::Impl::data_available(const std::string& id, std::uint64_t available, bool complete) {
  if (auto it = queued_ids.find(id); it != queued_ids.end()) {
    PoolJob& job = queue.at(it->second).job;
    job.available = available;
    job.complete = complete;
    return true;
  }
  Slot* slot = find_running(id);
  if (slot == nullptr) return false;
  slot->running->job.available = available;
  slot->running->job.complete = complete;
  slot->channel->send(encode(DataMessage{id, available, complete}));
  return true;
}

bool Pool::Impl::cancel(const std::string& id) {
  if (auto it = queued_ids.find(id); it != queued_ids.end()) {
    auto node = queue.extract(it->second);
    queued_ids.erase(it);
    JobOutcome outcome;
    outcome.state = JobState::cancelled;
    outcome.error = make_error(ErrorCode::cancelled, "cancelled before it started");
    outcome.timings.total_ms = ms_between(node.mapped().submitted, Clock::now());
    ++cancelled;
    if (events.finished) events.finished(id, outcome);
    changed();
    return true;
  }
  Slot* slot = find_running(id);
  if (slot == nullptr) return false;
  if (!slot->running->cancel_requested) {
    slot->running->cancel_requested = true;
    slot->channel->send(encode(CancelMessage{id}));
    arm_kill(*slot);
  }
  return true;
}

PoolStats Pool::Impl::stats() const {
  PoolStats s;
  s.queued = queue.size();
  s.done = done;
  s.failed = failed;
  s.cancelled = cancelled;
  s.spawned = spawned;
  for (const auto& slot : slots) {
    WorkerStats w;
    w.index = slot->index;
    w.pid = slot->pid;
    w.state = slot->state;
    if (slot->running) w.job_id = slot->running->job.id;
    w.jobs_done = slot->jobs_done;
    if (slot->pid > 0) {
      const auto now = Clock::now();
      if (slot->usage_pid != slot->pid || now - slot->usage_read >= kUsageMaxAge) {
        slot->usage = read_process_usage(slot->pid);
        slot->usage_pid = slot->pid;
        slot->usage_read = now;
      }
      w.rss_bytes = slot->usage.rss_bytes;
      w.cpu_seconds = slot->usage.cpu_seconds;
      ++s.workers;
    }
    if (slot->state == WorkerState::busy) ++s.busy;
    s.per_worker.push_back(std::move(w));
  }
  return s;
}

unsigned Pool::Impl::idle_workers() const {
  if (phase != Phase::running) return 0;
  std::size_t idle = 0;
  for (const auto& slot : slots) idle += slot->state == WorkerState::idle ? 1 : 0;
  return idle > queue.size() ? static_cast<unsigned>(idle - queue.size()) : 0;
}

void Pool::Impl::dispatch() {
  announce(hand_out());
}

std::vector<std::pair<Pool::Impl::Slot*, std::string>> Pool::Impl::hand_out() {
  std::vector<std::pair<Slot*, std::string>> handed;
  for (auto& slot : slots) {
    if (queue.empty() || phase != Phase::running) break;
    if (slot->state != WorkerState::idle) continue;
    auto node = queue.extract(queue.begin());
    queued_ids.erase(node.mapped().job.id);
    handed.emplace_back(slot.get(), node.mapped().job.id);
    start_job(*slot, std::move(node.mapped()));
  }
  return handed;
}

void Pool::Impl::announce(const std::vector<std::pair<Slot*, std::string>>& handed) {
  for (const auto& [slot, id] : handed) {
    // An earlier handler may have ended the job already (a shutdown, say).
    if (!slot->running || slot->running->job.id != id) continue;
    if (events.started) events.started(id, slot->index, slot->pid);
  }
}

// Sends the start message; the caller raises `started` (announce) when it is ready to.
void Pool::Impl::start_job(Slot& slot, QueuedJob queued) {
  const PoolJob& job = queued.job;
  slot.state = WorkerState::busy;
  slot.channel->send(encode(StartMessage{job.id, job.name, job.input_path, job.output_path, job.options,
                                         job.available, job.complete}));
  slot.running = RunningJob{std::move(queued.job), queued.submitted, Clock::now()};
  if (config.job_timeout.count() > 0) {
    slot.timeout_timer.expires_after(config.job_timeout);
    slot.timeout_timer.async_wait(
        [weak = weak_from_this(), &slot, pid = slot.pid](boost::system::error_code ec) {
          auto self = weak.lock();
          if (ec || !self || slot.pid != pid) return;
          self->on_timeout(slot);
        });
  }
}

void Pool::Impl::on_timeout(Slot& slot) {
  if (!slot.running || slot.running->timed_out) return;
  slot.running->timed_out = true;
  slot.channel->send(encode(CancelMessage{slot.running->job.id}));
  arm_kill(slot);
}

void Pool::Impl::on_message(Slot& slot, Json message) {
  auto decoded = decode_worker_message(std::move(message));
  if (auto* error = std::get_if<MessageError>(&decoded)) {
    refuse(slot, error->message);
    return;
  }
  auto& received = std::get<WorkerMessage>(decoded);
  if (std::holds_alternative<ReadyMessage>(received)) {
    // Once per process: a second one would make a busy worker idle and lose its job.
    if (slot.ready) {
      refuse(slot, "ready: the worker had said so already");
      return;
    }
    slot.ready = true;
    slot.failed_starts = 0;
    if (phase == Phase::running) {
      slot.state = WorkerState::idle;
      dispatch();
    } else {
      stop_worker(slot);
    }
    changed();
  } else if (const auto* progress = std::get_if<ProgressMessage>(&received)) {
    if (slot.running && progress->id == slot.running->job.id && events.progress) {
      events.progress(slot.running->job.id, *progress);
    }
  } else {
    on_finish(slot, std::get<FinishMessage>(received));
  }
}

void Pool::Impl::on_finish(Slot& slot, FinishMessage& finish) {
  if (!slot.running || finish.id != slot.running->job.id) return;
  if (finish.progress && events.progress) {
    const std::string id = slot.running->job.id;
    events.progress(id, *finish.progress);
    // The handler may have ended the job (a shutdown that kills the worker, say).
    if (!slot.running || slot.running->job.id != id) return;
  }
  const RunningJob& running = *slot.running;
  JobOutcome outcome;
  outcome.state = finish.state;
  outcome.summary_text = std::move(finish.summary_text);
  outcome.error = std::move(finish.error);
  outcome.timings.process_ms = finish.process_ms;
  // A job stopped by its time limit or by the shutdown says so, not "cancelled".
  if (outcome.state != JobState::done && (running.timed_out || running.shutting_down)) {
    outcome.state = JobState::failed;
    outcome.error = running.timed_out
                        ? make_error(ErrorCode::timeout, "the job ran longer than its limit of " +
                                                    std::to_string(config.job_timeout.count()) + " ms")
                        : make_error(ErrorCode::shutting_down, "the server stopped before the job finished");
  }
  ++slot.jobs_done;
  slot.kill_timer.cancel();
  slot.kill_armed = false;
  const bool leaving = (config.recycle_after != 0 && slot.jobs_done >= config.recycle_after) ||
                       (outcome.error && outcome.error->code == ErrorCode::out_of_memory);
  if (leaving) {
    // The worker exits by itself; the kill is only for one that would not.
    slot.state = WorkerState::stopping;
    arm_kill(slot);
  } else if (phase != Phase::running) {
    stop_worker(slot);
  } else {
    slot.state = WorkerState::idle;
  }
  // The worker gets its next job before the handlers of this one run (they may be slow:
  // the server broadcasts), so it need not wait for them. The events keep their order:
  // finished, then started for what was handed out.
  std::string id = close_job(slot, outcome);
  const auto handed = hand_out();
  report_end(id, outcome);
  announce(handed);
  check_stopped();
}

void Pool::Impl::end_job(Slot& slot, JobOutcome outcome) {
  const std::string id = close_job(slot, outcome);
  report_end(id, outcome);
}

std::string Pool::Impl::close_job(Slot& slot, JobOutcome& outcome) {
  RunningJob running = std::move(*slot.running);
  slot.running.reset();
  slot.timeout_timer.cancel();
  const auto now = Clock::now();
  outcome.worker = slot.index;
  outcome.pid = slot.pid;
  outcome.timings.queued_ms = ms_between(running.submitted, running.started);
  if (outcome.timings.process_ms == 0) outcome.timings.process_ms = ms_between(running.started, now);
  outcome.timings.total_ms = ms_between(running.submitted, now);
  if (outcome.state == JobState::done) ++done;
  if (outcome.state == JobState::failed) ++failed;
  if (outcome.state == JobState::cancelled) ++cancelled;
  return std::move(running.job.id);
}

void Pool::Impl::report_end(const std::string& id, const JobOutcome& outcome) {
  if (events.finished) events.finished(id, outcome);
  changed();
}

void Pool::Impl::end_queued(ErrorCode code, const std::string& message) {
  while (!queue.empty()) {
    auto node = queue.extract(queue.begin());
    queued_ids.erase(node.mapped().job.id);
    JobOutcome outcome;
    outcome.state = JobState::failed;
    outcome.error = make_error(code, message);
    outcome.timings.total_ms = ms_between(node.mapped().submitted, Clock::now());
    ++failed;
    if (events.finished) events.finished(node.mapped().job.id, outcome);
  }
  changed();
}

Pool::Impl::Slot* Pool::Impl::find_running(const std::string& id) {
  for (auto& slot : slots) {
    if (slot->running && slot->running->job.id == id) return slot.get();
  }
  return nullptr;
}

void Pool::Impl::changed() {
  if (events.changed) events.changed();
}

}  // namespace fastthread::pool
