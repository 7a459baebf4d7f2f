// The process side of the pool: forking, reaping, replacing and stopping workers.
#include <sys/wait.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <csignal>

#include "pool/pool_impl.hpp"
#include "pool/spawn.hpp"

namespace fastthread::pool {

void Pool::Impl::start() {
  if (phase != Phase::created) return;
  phase = Phase::running;
  // Registered before the first fork, so no child's end can be missed.
  child_signals.add(SIGCHLD);
  watch_children();
  for (unsigned i = 0; i < std::max(config.workers, 1u); ++i) slots.push_back(std::make_unique<Slot>(io, i));
  for (auto& slot : slots) spawn(*slot);
}

void Pool::Impl::spawn(Slot& slot) {
  WorkerConfig worker;
  worker.index = slot.index;
  worker.memory_limit_bytes = config.memory_limit_bytes;
  worker.recycle_after = config.recycle_after;
  worker.chunk_bytes = config.chunk_bytes;
  worker.progress_interval = config.progress_interval;
  worker.argc = config.argc;
  worker.argv = config.argv;
  std::string error;
  auto child = spawn_worker(worker, error);
  if (!child) {
    // Out of processes or descriptors: try again later, like a worker that failed to start.
    ++slot.failed_starts;
    const auto delay = config.respawn_backoff * (1u << std::min(slot.failed_starts - 1, 6u));
    slot.respawn_timer.expires_after(delay);
    slot.respawn_timer.async_wait([weak = weak_from_this(), &slot](boost::system::error_code ec) {
      auto self = weak.lock();
      if (!ec && self && self->phase == Phase::running && slot.pid == 0) self->spawn(slot);
    });
    return;
  }
  ++spawned;
  slot.pid = child->pid;
  slot.state = WorkerState::starting;
  slot.ready = slot.reaped = slot.channel_closed = slot.kill_armed = false;
  slot.protocol_error.clear();
  slot.status = 0;
  slot.jobs_done = 0;
  slot.channel = std::make_shared<detail::MasterChannel>(io, child->fd);
  const pid_t pid = slot.pid;
  std::weak_ptr<Impl> weak = weak_from_this();
  slot.channel->start(
      [weak, &slot, pid](Json message) {
        auto self = weak.lock();
        if (self && slot.pid == pid) self->on_message(slot, std::move(message));
      },
      [weak, &slot, pid](const std::string& why) {
        auto self = weak.lock();
        if (self && slot.pid == pid) self->on_channel_closed(slot, pid, why);
      });
  changed();
}

void Pool::Impl::watch_children() {
  child_signals.async_wait([weak = weak_from_this()](boost::system::error_code ec, int) {
    auto self = weak.lock();
    if (ec || !self) return;
    self->reap();
    self->watch_children();
  });
}

// Only our own workers are waited for (not waitpid(-1)): other children of the server
// are not the pool's to reap.
void Pool::Impl::reap() {
  for (auto& slot : slots) {
    if (slot->pid <= 0 || slot->reaped) continue;
    int status = 0;
    const pid_t r = ::waitpid(slot->pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno != ECHILD)) continue;
    slot->reaped = true;
    slot->status = r < 0 ? -1 : status;  // ECHILD: someone else reaped it
    if (slot->channel_closed) finalize(*slot);
  }
}

void Pool::Impl::on_channel_closed(Slot& slot, pid_t pid, const std::string& error) {
  slot.channel_closed = true;
  if (slot.channel && slot.channel->ended_on_bad_frame() && slot.protocol_error.empty()) {
    slot.protocol_error = error;
  }
  // A worker that sends garbage cannot be trusted with a job any more.
  if (!error.empty() && !slot.reaped) ::kill(pid, SIGKILL);
  if (slot.reaped) {
    finalize(slot);
  } else {
    reap();  // often dead already; if not, SIGCHLD will come
  }
}

// A message that does not decode counts as a bad frame: the worker is killed and
// replaced, and its job fails saying what the worker sent.
void Pool::Impl::refuse(Slot& slot, const std::string& why) {
  slot.protocol_error = why;
  slot.channel->close();
  on_channel_closed(slot, slot.pid, why);
}

// The process is gone and its last words have been read: settle its job and replace it.
void Pool::Impl::finalize(Slot& slot) {
  const pid_t pid = slot.pid;
  const bool was_ready = slot.ready;
  if (slot.running) {
    const RunningJob& running = *slot.running;
    JobOutcome outcome;
    outcome.state = JobState::failed;
    const std::string who = "worker " + std::to_string(slot.index) + " (pid " + std::to_string(pid) + ")";
    if (running.shutting_down) {
      outcome.error = JobError{ErrorCode::shutting_down, "the server stopped before the job finished", {}};
    } else if (!slot.protocol_error.empty()) {
      outcome.error = JobError{
          ErrorCode::worker_crashed, who + " broke the protocol and was killed: " + slot.protocol_error, {}};
    } else if (running.timed_out) {
      outcome.error =
          JobError{ErrorCode::timeout,
                   "the job ran longer than its limit of " + std::to_string(config.job_timeout.count()) +
                       " ms; " + who + " did not stop and was killed",
                   {}};
    } else if (running.cancel_requested) {
      outcome.state = JobState::cancelled;
      outcome.error = JobError{ErrorCode::cancelled, "cancelled; " + who + " did not stop in time and was killed", {}};
    } else {
      outcome.error = JobError{ErrorCode::worker_crashed, who + " " + describe_exit(slot.status), {}};
    }
    end_job(slot, std::move(outcome));
  }
  slot.channel.reset();
  slot.pid = 0;
  slot.state = WorkerState::down;
  slot.jobs_done = 0;
  slot.kill_timer.cancel();
  slot.timeout_timer.cancel();
  slot.kill_armed = false;
  if (phase == Phase::running) {
    if (was_ready) {
      spawn(slot);
    } else {
      // Died before it could say "ready" (cannot start at all?): no tight fork loop.
      ++slot.failed_starts;
      const auto delay = config.respawn_backoff * (1u << std::min(slot.failed_starts - 1, 6u));
      slot.respawn_timer.expires_after(delay);
      slot.respawn_timer.async_wait([weak = weak_from_this(), &slot](boost::system::error_code ec) {
        auto self = weak.lock();
        if (!ec && self && self->phase == Phase::running && slot.pid == 0) self->spawn(slot);
      });
    }
  }
  changed();
  check_stopped();
}

// SIGKILL after the grace period unless the worker has settled by then.
void Pool::Impl::arm_kill(Slot& slot) {
  if (slot.kill_armed || slot.pid <= 0) return;
  slot.kill_armed = true;
  slot.kill_timer.expires_after(config.cancel_grace);
  slot.kill_timer.async_wait([weak = weak_from_this(), &slot, pid = slot.pid](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || slot.pid != pid || slot.reaped) return;
    slot.state = WorkerState::stopping;
    ::kill(pid, SIGKILL);
  });
}

void Pool::Impl::stop_worker(Slot& slot) {
  if (slot.pid <= 0) return;
  slot.state = WorkerState::stopping;
  if (slot.channel) slot.channel->send(encode(StopMessage{}));
  arm_kill(slot);
}

void Pool::Impl::shutdown(bool drain, std::chrono::milliseconds drain_timeout,
                          std::function<void()> done_cb) {
  if (done_cb) on_stopped.push_back(std::move(done_cb));
  if (phase == Phase::created) phase = Phase::running;  // never started: nothing to stop
  if (phase == Phase::stopped) {
    check_stopped();
    return;
  }
  if (!drain) {
    stop_now();
    return;
  }
  if (phase != Phase::running) return;
  phase = Phase::draining;
  end_queued(ErrorCode::shutting_down, "the server is shutting down");
  for (auto& slot : slots) {
    slot->respawn_timer.cancel();
    if (slot->pid > 0 && !slot->running) stop_worker(*slot);
  }
  drain_timer.expires_after(drain_timeout);
  drain_timer.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!ec && self && self->phase == Phase::draining) self->stop_now();
  });
  changed();
  check_stopped();
}

void Pool::Impl::stop_now() {
  if (phase == Phase::stopped) return;
  phase = Phase::stopping;
  drain_timer.cancel();
  end_queued(ErrorCode::shutting_down, "the server is shutting down");
  for (auto& slot : slots) {
    slot->respawn_timer.cancel();
    if (slot->pid <= 0) continue;
    if (slot->running) slot->running->shutting_down = true;
    slot->state = WorkerState::stopping;
    if (!slot->reaped) ::kill(slot->pid, SIGKILL);
  }
  changed();
  check_stopped();
}

void Pool::Impl::check_stopped() {
  if (phase != Phase::draining && phase != Phase::stopping) return;
  // Running jobs end the drain by finishing; their workers are then told to stop.
  for (auto& slot : slots) {
    if (slot->pid > 0) return;
  }
  phase = Phase::stopped;
  drain_timer.cancel();
  boost::system::error_code ignored;
  child_signals.cancel(ignored);
  child_signals.clear(ignored);
  // Called from the loop, not from inside whatever call got us here.
  for (auto& cb : std::exchange(on_stopped, {})) boost::asio::post(io, std::move(cb));
}

void Pool::Impl::destroy() {
  phase = Phase::stopped;
  events = PoolEvents{};
  for (auto& slot : slots) {
    if (slot->channel) slot->channel->close();
    slot->kill_timer.cancel();
    slot->timeout_timer.cancel();
    slot->respawn_timer.cancel();
    if (slot->pid > 0 && !slot->reaped) {
      ::kill(slot->pid, SIGKILL);
      while (::waitpid(slot->pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    slot->pid = 0;
  }
  boost::system::error_code ignored;
  child_signals.cancel(ignored);
  child_signals.clear(ignored);
  drain_timer.cancel();
}

}  // namespace fastthread::pool
