// JobRegistry, second half: a job's upload, its events from the pool, and its end.
#include <filesystem>

#include "server/job_registry.hpp"
#include "server/json_log.hpp"

namespace fastthread::server {
namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);
// The worker hears of new bytes at most this often (or every kAnnounceBytes): each
// announcement is a message on its channel.
constexpr auto kAnnounceInterval = std::chrono::milliseconds(50);
constexpr std::uint64_t kAnnounceBytes = 1 << 20;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

}  // namespace

std::optional<Refusal> JobRegistry::upload(ServerJob& job, std::string_view bytes) {
  // Bytes still in flight when a job was cancelled or failed are dropped quietly.
  if (is_final(job.phase) || job.cancel_requested) return std::nullopt;
  if (job.upload_complete) {
    return Refusal{ErrorCode::bad_request,
                   "job '" + job.id + "' already has all its " + std::to_string(job.received) + " bytes"};
  }
  const std::uint64_t after = job.received + bytes.size();
  if (job.size && after > *job.size) {
    fail(
        job, ErrorCode::bad_request,
        "job '" + job.id + "' got more bytes than the " + std::to_string(*job.size) + " its start announced");
    return std::nullopt;
  }
  if (after > config_.max_file_bytes) {
    fail(job, ErrorCode::too_large,
         "the upload passed the server's limit of " + std::to_string(config_.max_file_bytes) +
             " bytes (--max-file-bytes)");
    return std::nullopt;
  }
  if (!job.spool->append(bytes)) {
    log_event("spool_error", {{"job", job.key}, {"reason", job.spool->error()}});
    fail(job, ErrorCode::io_error, "the server could not store the upload: " + job.spool->error());
    return std::nullopt;
  }
  job.received = after;
  metrics_.bytes_uploaded += bytes.size();
  if (job.size && job.received == *job.size) {
    complete_upload(job);
  } else {
    announce(job, false);
    send_progress(job, "upload", false);
  }
  return std::nullopt;
}

void JobRegistry::end_upload(ServerJob& job) {
  if (is_final(job.phase) || job.cancel_requested || job.upload_complete) return;
  if (job.size && job.received != *job.size) {
    fail(job, ErrorCode::bad_request,
         "the upload ended after " + std::to_string(job.received) + " of " + std::to_string(*job.size) +
             " bytes");
    return;
  }
  complete_upload(job);
}

void JobRegistry::abandon_upload(ServerJob& job, const std::string& reason) {
  if (is_final(job.phase) || job.upload_complete) return;
  fail(job, ErrorCode::bad_request, "the upload stopped after " + std::to_string(job.received) + " bytes: " + reason);
}

void JobRegistry::complete_upload(ServerJob& job) {
  job.upload_complete = true;
  job.size = job.received;
  job.sha256 = job.spool->finish();
  job.upload_grace.reset();
  if (job.declared_sha256 && *job.declared_sha256 != job.sha256) {
    fail(job, ErrorCode::bad_request,
         "the file's sha256 is " + job.sha256 + ", not the " + *job.declared_sha256 + " its start declared");
    return;
  }
  job.cache_key = job.owner.principal + "|" + job.sha256 + "|" + job.options_key;
  send_progress(job, "upload", true);
  announce(job, true);
}

// Tells the worker how much of the file is on disk, so parsing overlaps the upload.
void JobRegistry::announce(ServerJob& job, bool force) {
  if (!job.in_pool) return;
  const bool worth_it =
      job.received - job.announced >= kAnnounceBytes || Clock::now() - job.announced_at >= kAnnounceInterval;
  if (!force && (job.received == job.announced || !worth_it)) return;
  job.announced = job.received;
  job.announced_at = Clock::now();
  scheduler_.data_available(job.key, job.received, job.upload_complete);
}

void JobRegistry::send_progress(ServerJob& job, std::string_view phase, bool force) {
  const bool upload = phase == "upload";
  auto& sent_at = upload ? job.upload_progress_sent : job.parse_progress_sent;
  const std::uint64_t bytes = upload ? job.received : job.parsed;
  auto message = protocol::progress(job.id, phase, bytes, job.total(), upload ? 0 : job.rows);
  if (!upload) job.progress_message = message;
  if (!force && Clock::now() - sent_at < kProgressInterval) return;
  sent_at = Clock::now();
  if (!upload) job.parse_progress_bytes_sent = bytes;
  clients_.send(job.owner.owner_key(), message);
}

void JobRegistry::fail(ServerJob& job, ErrorCode code, const std::string& message) {
  if (is_final(job.phase)) return;
  job.pending_error = JobError{code, message, std::nullopt};
  job.cancel_requested = true;
  // The pool answers with `finished` (maybe before cancel() returns), which ends the job.
  if (job.in_pool && scheduler_.cancel(job.key)) return;
  end(job, JobPhase::failed);
}

bool JobRegistry::cancel(ServerJob& job) {
  if (is_final(job.phase)) return false;
  if (job.cancel_requested) return true;
  job.cancel_requested = true;
  if (!job.in_pool || !scheduler_.cancel(job.key)) end(job, JobPhase::cancelled);
  return true;
}

void JobRegistry::erase(const std::string& key) {
  ServerJob* job = find(key);
  if (!job || !is_final(job->phase)) return;
  store_.remove(key);
  forget(key);
}

void JobRegistry::forget(const std::string& key) {
  ServerJob* job = find(key);
  if (!job) return;
  if (auto c = by_owner_.find(job->owner.owner_key()); c != by_owner_.end()) {
    if (auto it = c->second.find(job->id); it != c->second.end() && it->second == key) c->second.erase(it);
    if (c->second.empty()) by_owner_.erase(c);
  }
  if (auto p = by_principal_.find(job->owner.principal); p != by_principal_.end()) {
    p->second.erase(job->seq);
    if (p->second.empty()) by_principal_.erase(p);
  }
  if (auto it = cache_.find(job->cache_key); it != cache_.end() && it->second == key) cache_.erase(it);
  --by_phase_[static_cast<std::size_t>(job->phase)];
  if (job->phase == JobPhase::queued) --queued_by_priority_[job->priority + 100];
  jobs_.erase(key);
}

void JobRegistry::when_ended(ServerJob& job, std::function<void()> done) {
  if (is_final(job.phase)) return done();
  job.waiters.push_back(std::move(done));
}

void JobRegistry::on_started(const std::string& key, unsigned worker) {
  ServerJob* job = find(key);
  if (!job || is_final(job->phase)) return;
  set_phase(*job, JobPhase::running);
  job->worker = worker;
  job->state_message = protocol::started(job->id, "server", worker);
  clients_.send(job->owner.owner_key(), job->state_message);
}

void JobRegistry::on_progress(const std::string& key, std::uint64_t bytes, std::uint64_t rows) {
  ServerJob* job = find(key);
  if (!job || is_final(job->phase)) return;
  if (bytes > job->parsed) metrics_.bytes_parsed += bytes - job->parsed;
  job->parsed = std::max(job->parsed, bytes);
  job->rows = rows;
  send_progress(*job, "parse", false);
}

void JobRegistry::on_finished(const std::string& key, const WorkerOutcome& outcome) {
  ServerJob* job = find(key);
  if (!job || is_final(job->phase)) return;
  job->in_pool = false;
  if (outcome.worker) job->worker = outcome.worker;
  job->timings.queued_ms = outcome.queued_ms;
  job->timings.process_ms = outcome.process_ms;
  if (job->pending_error) return end(*job, JobPhase::failed);
  if (outcome.state == "done") {
    job->summary = outcome.summary;
    const auto& output =
        job->summary.contains("output") ? job->summary["output"] : nlohmann::ordered_json::object();
    job->output_format = output.value("format", std::string("none"));
    job->output_bytes = output.value("bytes", std::uint64_t{0});
    job->rows = job->summary.value("rows", job->rows);
    return end(*job, JobPhase::done);
  }
  if (outcome.state == "cancelled" && job->cancel_requested) return end(*job, JobPhase::cancelled);
  job->pending_error = outcome.error;
  if (!job->pending_error) {
    job->pending_error = JobError{outcome.state == "cancelled" ? ErrorCode::shutting_down : ErrorCode::worker_crashed,
                                  "the job ended without saying why", std::nullopt};
  }
  end(*job, JobPhase::failed);
}

void JobRegistry::end(ServerJob& job, JobPhase phase) {
  set_phase(job, phase);
  job.timings.total_ms = ms_since(job.created);
  job.upload_grace.reset();
  if (job.spool) {
    job.spool->remove();
    job.spool.reset();
  }
  if (phase == JobPhase::done) {
    const std::uint64_t total = job.size.value_or(job.received);
    if (!job.cached && job.parse_progress_bytes_sent != total) {
      job.parsed = total;
      send_progress(job, "parse", true);
    }
    job.state_message =
        protocol::finish(job.id, job.summary, {job.output_url(), job.output_bytes, job.output_format},
                         job.timings, "server", job.worker.value_or(0), job.cached);
    if (!store_.save(job)) log_event("result_not_saved", {{"job", job.key}});
    if (!job.cache_key.empty()) cache_[job.cache_key] = job.key;
  } else {
    std::error_code ignored;
    std::filesystem::remove(store_.output_path(job.key), ignored);
    if (phase == JobPhase::failed) {
      job.error = job.pending_error;
      job.state_message = protocol::error(job.id, *job.error);
    } else {
      job.state_message = protocol::cancelled(job.id);
    }
  }
  clients_.send(job.owner.owner_key(), job.state_message);

  metrics_.ended[std::string(to_string(phase))]++;
  const double seconds = job.timings.total_ms / 1000;
  for (std::size_t i = 0; i < std::size(JobMetrics::kBuckets); ++i) {
    if (seconds <= JobMetrics::kBuckets[i]) metrics_.bucket_counts[i]++;
  }
  metrics_.duration_count++;
  metrics_.duration_sum += seconds;

  nlohmann::ordered_json line = {{"job", job.key},
                         {"owner", job.owner.principal},
                         {"client", job.owner.client_id},
                         {"id", job.id},
                         {"name", job.name},
                         {"state", to_string(phase)},
                         {"bytes", job.received},
                         {"rows", job.rows},
                         {"cached", job.cached},
                         {"queued_ms", job.timings.queued_ms},
                         {"process_ms", job.timings.process_ms},
                         {"total_ms", job.timings.total_ms},
                         {"worker", job.worker ? nlohmann::ordered_json(*job.worker) : nlohmann::ordered_json(nullptr)}};
  if (phase == JobPhase::failed) line["error"] = to_json(*job.error);
  log_event("job", std::move(line));

  auto waiters = std::move(job.waiters);
  job.waiters.clear();
  for (auto& w : waiters) w();
}

void JobRegistry::replay(ClientConnection& connection, const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  std::vector<ServerJob*> mine;
  for (const auto& [id, key] : c->second) {
    if (auto* job = find(key)) mine.push_back(job);
  }
  std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
  for (ServerJob* job : mine) {
    clients_.send(connection, job->state_message);
    if (is_final(job->phase)) continue;
    // Where the upload stands tells the client where to resume it.
    if (!job->upload_complete)
      clients_.send(connection, protocol::progress(job->id, "upload", job->received, job->total(), 0));
    if (!job->progress_message.is_null()) clients_.send(connection, job->progress_message);
  }
}

void JobRegistry::client_joined(const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  for (const auto& [id, key] : c->second) {
    if (auto* job = find(key)) job->upload_grace.reset();
  }
}

void JobRegistry::client_left(const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  for (const auto& [id, key] : c->second) {
    ServerJob* job = find(key);
    if (!job || is_final(job->phase) || job->upload_complete || job->via_http) continue;
    job->upload_grace = std::make_unique<boost::asio::steady_timer>(io_, config_.upload_grace);
    job->upload_grace->async_wait([this, key = key](boost::system::error_code ec) {
      if (ec) return;
      ServerJob* j = find(key);
      if (!j || is_final(j->phase) || j->upload_complete || clients_.connected(j->owner.owner_key())) return;
      fail(*j, ErrorCode::timeout,
           "the upload stopped at " + std::to_string(j->received) +
               " bytes and its client did not come back within " +
               std::to_string(static_cast<double>(config_.upload_grace.count()) / 1000.0) +
               " s (--upload-grace)");
    });
  }
}

}  // namespace fastthread::server
