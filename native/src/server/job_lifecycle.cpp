// JobRegistry: what the pool says of a job, how a job is stopped, how it ends, and how a
// returning client hears of it again.
#include <algorithm>
#include <filesystem>

#include <unistd.h>

#include "server/job_registry.hpp"
#include "server/json_log.hpp"

namespace fastthread::server {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);

double unix_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

void JobRegistry::send_progress(ServerJob& job, std::string_view phase, bool force) {
  const bool upload = phase == "upload";
  if (upload && !job.upload) return;
  auto& sent_at = upload ? job.upload->progress_sent : job.parse_progress_sent;
  if (!force && Clock::now() - sent_at < kProgressInterval) return;
  sent_at = Clock::now();
  const std::uint64_t bytes = upload ? job.received : job.parsed;
  if (!upload) job.parse_progress_bytes_sent = bytes;
  clients_.send(job.owner->owner_key(), protocol::progress(job.id, phase, bytes, job.total(), upload ? 0 : job.rows));
}

void JobRegistry::send_state(ServerJob& job, nlohmann::ordered_json message) {
  clients_.send(job.owner->owner_key(), message);
}

nlohmann::ordered_json JobRegistry::state_message(const ServerJob& job) const {
  switch (job.phase) {
    case JobPhase::waiting:
    case JobPhase::queued:
    case JobPhase::yielding: return protocol::queued(job.id, admission_.ahead(job.priority));
    case JobPhase::running:
    case JobPhase::stopping: return protocol::started(job.id, "server", job.worker.value_or(0));
    case JobPhase::done: {
      static const nlohmann::ordered_json kNoSummary;
      const auto& summary = job.result ? job.result->summary : kNoSummary;
      const std::uint64_t bytes = job.result ? job.result->output_bytes : 0;
      const std::string format = job.result ? job.result->output_format : "none";
      return protocol::finish(job.id, summary, {job.output_url(), bytes, format}, job.timings, "server",
                              job.worker.value_or(0), job.result && job.result->cached);
    }
    case JobPhase::failed:
      return job.error ? protocol::error(job.id, *job.error)
                       : protocol::error(job.id, ErrorCode::worker_crashed, "the job ended without saying why");
    case JobPhase::cancelled: return protocol::cancelled(job.id);
  }
  return protocol::cancelled(job.id);
}

void JobRegistry::fail(ServerJob& job, ErrorCode code, const std::string& message) {
  if (is_final(job.phase)) return;
  if (!job.error) job.error = std::make_unique<JobError>(JobError{code, message, std::nullopt});
  if (job.phase == JobPhase::stopping) return;
  if (!in_pool(job.phase)) return end(job, JobPhase::failed);
  // The pool answers with `finished` (maybe before cancel() returns), which ends the job.
  set_phase(job, JobPhase::stopping);
  if (!scheduler_.cancel(job.key)) end(job, JobPhase::failed);
}

bool JobRegistry::cancel(ServerJob& job) {
  if (is_final(job.phase)) return false;
  if (job.phase == JobPhase::stopping) return true;
  if (!in_pool(job.phase)) {
    end(job, JobPhase::cancelled);
    return true;
  }
  set_phase(job, JobPhase::stopping);
  if (!scheduler_.cancel(job.key)) end(job, JobPhase::cancelled);
  return true;
}

void JobRegistry::erase(const std::string& key) {
  ServerJob* job = find(key);
  if (!job || !is_final(job->phase)) return;
  results_.remove(*job);
  forget(key);
}

void JobRegistry::forget(const std::string& key) {
  ServerJob* job = find(key);
  if (!job) return;
  if (job->by_owner_hook.is_linked()) {
    auto c = by_owner_.find(job->owner->owner_key());
    c->second.erase(c->second.iterator_to(*job));
    if (c->second.empty()) by_owner_.erase(c);
  }
  if (job->by_principal_hook.is_linked()) {
    auto p = by_principal_.find(job->owner->principal);
    p->second.erase(p->second.iterator_to(*job));
    if (p->second.empty()) by_principal_.erase(p);
  }
  admission_.forgotten(*job);
  admission_.release(*job);
  if (job->unfinished_hook.is_linked()) unfinished_.erase(unfinished_.iterator_to(*job));
  scheduler_.dequeue(*job);
  uploading_.erase(job->key);
  jobs_.erase(jobs_.find(std::string_view(job->key)));
}

void JobRegistry::when_ended(ServerJob& job, std::function<void()> done) {
  if (is_final(job.phase)) return done();
  job.waiters.push_back(std::move(done));
}

void JobRegistry::on_started(const std::string& key, unsigned worker) {
  ServerJob* job = find(key);
  // A job being stopped or giving its worker back says nothing of this start.
  if (!job || job->phase != JobPhase::queued) return;
  set_phase(*job, JobPhase::running);
  job->worker = worker;
  job->timings.queued_ms = ms_since(job->queued_at);
  send_state(*job, protocol::started(job->id, "server", worker));
}

void JobRegistry::on_progress(const std::string& key, std::uint64_t bytes, std::uint64_t rows) {
  ServerJob* job = find(key);
  if (!job || is_final(job->phase)) return;
  if (bytes > job->parsed) metrics_.bytes_parsed += bytes - job->parsed;
  job->parsed = std::max(job->parsed, bytes);
  job->rows = rows;
  send_progress(*job, "parse", false);
}

void JobRegistry::on_finished(const std::string& key, const pool::JobOutcome& outcome) {
  ServerJob* job = find(key);
  if (!job || !in_pool(job->phase)) return;
  if (job->phase == JobPhase::yielding && outcome.state != JobState::done) {
    // It gave its worker back: it waits for bytes again, and starts over when they come
    // (the spool has all it had).
    set_phase(*job, JobPhase::waiting);
    job->worker.reset();
    job->parsed = 0;
    job->rows = 0;
    send_state(*job, protocol::queued(job->id, admission_.ahead(job->priority)));
    if (job->upload_complete || (job->upload && Clock::now() - job->upload->bytes_at < config_.upload_stall))
      submit(*job);
    return;
  }
  if (outcome.worker) job->worker = outcome.worker;
  job->timings.process_ms = outcome.timings.process_ms;
  if (job->error) return end(*job, JobPhase::failed);
  if (outcome.state == JobState::done) {
    job->result = std::make_unique<JobResult>();
    auto& result = *job->result;
    result.summary = nlohmann::ordered_json::parse(outcome.summary_text, nullptr, false);
    if (result.summary.is_discarded()) result.summary = nullptr;
    const auto& output = result.summary.is_object() && result.summary.contains("output")
                             ? result.summary["output"]
                             : nlohmann::ordered_json::object();
    result.output_format = output.value("format", std::string("none"));
    result.output_bytes = output.value("bytes", std::uint64_t{0});
    if (result.summary.is_object()) job->rows = result.summary.value("rows", job->rows);
    return end(*job, JobPhase::done);
  }
  if (outcome.state == JobState::cancelled && job->phase == JobPhase::stopping) return end(*job, JobPhase::cancelled);
  job->error = std::make_unique<JobError>(
      outcome.error ? *outcome.error
                    : JobError{outcome.state == JobState::cancelled ? ErrorCode::shutting_down
                                                                    : ErrorCode::worker_crashed,
                               "the job ended without saying why", std::nullopt});
  end(*job, JobPhase::failed);
}

void JobRegistry::end(ServerJob& job, JobPhase phase) {
  set_phase(job, phase);
  job.timings.total_ms = ms_since(job.created);
  job.upload.reset();
  if (job.spooled) {
    ::unlink(spool_path(job).c_str());
    job.spooled = false;
  }
  admission_.release(job);
  if (!job.result) job.result = std::make_unique<JobResult>();
  if (phase == JobPhase::done) {
    if (job.result->cache_key.empty() && job.options_key)
      job.result->cache_key = job.owner->principal + "|" + (job.sha256 ? job.sha256->hex() : "") + "|" + *job.options_key;
    const std::uint64_t total = job.size.value_or(job.received);
    if (!job.result->cached && job.parse_progress_bytes_sent != total) {
      job.parsed = total;
      send_progress(job, "parse", true);
    }
  } else {
    std::error_code ignored;
    std::filesystem::remove(results_.store().output_path(job.key), ignored);
    if (phase == JobPhase::failed && !job.error)
      job.error = std::make_unique<JobError>(
          JobError{ErrorCode::worker_crashed, "the job ended without saying why", std::nullopt});
  }
  clients_.send(job.owner->owner_key(), state_message(job));
  job.ended_unix = unix_seconds();
  results_.ended(job);
  metrics_.record_end(job);

  nlohmann::ordered_json line = {{"job", job.key},
                         {"owner", job.owner->principal},
                         {"client", job.owner->client_id},
                         {"id", job.id},
                         {"name", job.name},
                         {"state", to_string(phase)},
                         {"bytes", job.received},
                         {"rows", job.rows},
                         {"cached", job.result->cached},
                         {"queued_ms", job.timings.queued_ms},
                         {"process_ms", job.timings.process_ms},
                         {"total_ms", job.timings.total_ms},
                         {"worker", job.worker ? nlohmann::ordered_json(*job.worker) : nlohmann::ordered_json(nullptr)}};
  if (phase == JobPhase::failed) line["error"] = to_json(*job.error);
  log_event("job", std::move(line));

  // Retention runs before an HTTP ?wait caller hears of the end: once it has its answer, the
  // folder is already back under its cap. The job that just ended is spared in that pass,
  // so its waiters can still describe it; should it alone be over the cap, the second pass
  // drops it after they have their answer.
  auto waiters = std::move(job.waiters);
  job.waiters.clear();
  if (waiters.empty()) return enforce_retention();
  const std::string key = job.key;
  enforce_retention(&key);
  for (auto& w : waiters) w();
  enforce_retention();
}

void JobRegistry::enforce_retention(const std::string* spare) {
  const auto keys = results_.expired(unix_seconds());
  std::size_t dropped = 0;
  for (const auto& key : keys) {
    if (spare && key == *spare) continue;
    ServerJob* job = find(key);
    if (!job || !is_final(job->phase)) continue;
    results_.remove(*job);
    forget(key);
    ++dropped;
  }
  if (dropped > 0) log_event("results_expired", {{"jobs", dropped}, {"bytes_kept", results_.bytes()}});
  const double next = results_.next_expiry();
  if (next == 0) {
    retention_timer_.cancel();
    return;
  }
  // At most an hour ahead, so a clock change cannot push expiry off for long.
  const double wait_s = std::clamp(next - unix_seconds(), 0.0, 3600.0) + 0.05;
  retention_timer_.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(wait_s * 1000)));
  retention_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec) enforce_retention();
  });
}

void JobMetrics::record_end(const ServerJob& job) {
  ended[std::string(to_string(job.phase))]++;
  const double seconds = job.timings.total_ms / 1000;
  for (std::size_t i = 0; i < std::size(kBuckets); ++i) {
    if (seconds <= kBuckets[i]) bucket_counts[i]++;
  }
  duration_count++;
  duration_sum += seconds;
}

void JobRegistry::replay(ClientConnection& connection, const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  std::vector<ServerJob*> mine;
  for (ServerJob& job : c->second) mine.push_back(&job);
  std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  for (ServerJob* job : mine) {
    clients_.send(connection, state_message(*job));
    if (is_final(job->phase)) continue;
    // Where the upload stands tells the client where to resume it.
    if (!job->upload_complete)
      clients_.send(connection, protocol::progress(job->id, "upload", job->received, job->total(), 0));
    if (job->parsed > 0 && (job->phase == JobPhase::running || job->phase == JobPhase::stopping))
      clients_.send(connection, protocol::progress(job->id, "parse", job->parsed, job->total(), job->rows));
  }
}

}  // namespace fastthread::server
