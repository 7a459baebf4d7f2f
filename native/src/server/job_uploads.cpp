// JobRegistry: a job's bytes. They go to its spool file; the job takes a worker once they
// begin to come, and the worker parses what has landed while the rest arrives. An upload
// must keep a minimum rate; one that stalls while others wait gives its worker back; an
// upload whose client went away waits --upload-grace for it.
#include "server/job_registry.hpp"
#include "server/json_log.hpp"

namespace fastthread::server {
namespace {

// The worker hears of new bytes at most this often (or every kAnnounceBytes): each
// announcement is a message on its channel.
constexpr auto kAnnounceInterval = std::chrono::milliseconds(50);
constexpr std::uint64_t kAnnounceBytes = 1 << 20;
constexpr auto kWatchInterval = std::chrono::seconds(1);

std::string seconds(Milliseconds ms) {
  std::string s = std::to_string(static_cast<double>(ms.count()) / 1000.0);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s + " s";
}

}  // namespace

std::optional<Refusal> JobRegistry::upload(ServerJob& job, std::string_view bytes) {
  // Bytes still in flight when a job was cancelled or failed are dropped quietly.
  if (is_final(job.phase) || job.phase == JobPhase::stopping) return std::nullopt;
  if (job.upload_complete || !job.upload) {
    return Refusal{ErrorCode::bad_request,
                   "job '" + job.id + "' already has all its " + std::to_string(job.received) + " bytes"};
  }
  const std::uint64_t after = job.received + bytes.size();
  if (job.size && after > *job.size) {
    fail(job, ErrorCode::bad_request,
         "job '" + job.id + "' got more bytes than the " + std::to_string(*job.size) + " its start announced");
    return std::nullopt;
  }
  if (after > config_.max_file_bytes) {
    fail(job, ErrorCode::too_large,
         "the upload passed the server's limit of " + std::to_string(config_.max_file_bytes) +
             " bytes (--max-file-bytes)");
    return std::nullopt;
  }
  if (auto refusal = admission_.reserve(job, after)) {
    fail(job, refusal->code, refusal->message);
    return std::nullopt;
  }
  if (!job.upload->spool.append(bytes)) {
    const std::string error = job.upload->spool.error();
    log_event("spool_error", {{"job", job.key}, {"reason", error}});
    fail(job, ErrorCode::io_error, "the server could not store the upload: " + error);
    return std::nullopt;
  }
  job.received = after;
  job.upload->bytes_at = Clock::now();
  metrics_.bytes_uploaded += bytes.size();
  if (job.size && job.received == *job.size) {
    complete_upload(job);
    return std::nullopt;
  }
  if (job.phase == JobPhase::waiting && !bytes.empty()) submit(job);
  announce(job, false);
  send_progress(job, "upload", false);
  return std::nullopt;
}

void JobRegistry::end_upload(ServerJob& job) {
  if (is_final(job.phase) || job.phase == JobPhase::stopping || job.upload_complete) return;
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
  const std::string sha256 = job.upload->spool.finish();
  uploading_.erase(job.key);
  const std::optional<Sha256> expected = job.sha256_declared ? job.sha256 : std::nullopt;
  job.sha256 = Sha256::from_hex(sha256);
  job.sha256_declared = false;
  if (expected && expected != job.sha256) {
    fail(job, ErrorCode::bad_request,
         "the file's sha256 is " + sha256 + ", not the " + expected->hex() + " its start declared");
    return;
  }
  send_progress(job, "upload", true);
  // The spool file stays for the worker; the upload's state goes.
  job.upload.reset();
  if (job.phase == JobPhase::waiting) return submit(job);
  announce(job, true);
}

void JobRegistry::submit(ServerJob& job) {
  // Queued before the scheduler hears of it: the pool may start it before enqueue() returns.
  set_phase(job, JobPhase::queued);
  job.queued_at = Clock::now();
  if (!scheduler_.enqueue(job)) {
    set_phase(job, JobPhase::waiting);
    fail(job, ErrorCode::shutting_down, "the worker pool takes no new jobs (shutting down)");
  }
}

// What the pool needs of a queued job, made once a worker is free for it: a long queue
// holds none of it.
pool::PoolJob JobRegistry::pool_job(ServerJob& job) {
  pool::PoolJob pj;
  pj.id = job.key;
  pj.name = job.name;
  pj.input_path = spool_path(job);
  pj.output_path = results_.store().output_path(job.key);
  pj.options = nlohmann::json::parse(*job.options_key);
  pj.options["name"] = job.options_name.empty() ? job.name : job.options_name;
  pj.available = job.received;
  pj.complete = job.upload_complete;
  pj.priority = job.priority;
  job.announced = job.received;
  job.announced_at = Clock::now();
  return pj;
}

// Tells the worker how much of the file is on disk, so parsing overlaps the upload.
void JobRegistry::announce(ServerJob& job, bool force) {
  if (job.phase != JobPhase::queued && job.phase != JobPhase::running) return;
  const bool worth_it =
      job.received - job.announced >= kAnnounceBytes || Clock::now() - job.announced_at >= kAnnounceInterval;
  if (!force && (job.received == job.announced || !worth_it)) return;
  job.announced = job.received;
  job.announced_at = Clock::now();
  scheduler_.data_available(job.key, job.received, job.upload_complete);
}

void JobRegistry::watch() {
  if (watching_ || unfinished_.empty()) return;
  watching_ = true;
  watch_timer_.expires_after(kWatchInterval);
  watch_timer_.async_wait([this](boost::system::error_code ec) {
    watching_ = false;
    if (ec) return;
    sweep();
    watch();
  });
}

void JobRegistry::sweep() {
  const auto now = Clock::now();
  // The oldest unfinished jobs first: the first one within its time ends the walk.
  if (config_.max_job_time.count() > 0) {
    std::vector<std::string> late;
    for (const ServerJob& job : unfinished_) {
      if (now - job.created < config_.max_job_time) break;
      late.push_back(job.key);
    }
    for (const auto& key : late) {
      if (ServerJob* job = find(key))
        fail(*job, ErrorCode::timeout,
             "the job did not end within " + seconds(config_.max_job_time) + " of its start (--max-job-time)");
    }
  }
  const bool others_wait = admission_.count(JobPhase::queued) > 0;
  std::vector<std::pair<std::string, std::string>> slow;  // key, why
  std::vector<std::string> stalled;
  for (const auto& key : uploading_) {
    ServerJob& job = *jobs_.at(key);
    if (!job.upload) continue;
    JobUpload& upload = *job.upload;
    // An absent client's upload waits out its grace (client_left) instead.
    if (upload.grace) continue;
    if (config_.min_upload_rate > 0 && now - upload.rate_window >= config_.upload_rate_window) {
      const double window_s = std::chrono::duration<double>(now - upload.rate_window).count();
      const std::uint64_t got = job.received - upload.rate_window_bytes;
      if (static_cast<double>(got) < static_cast<double>(config_.min_upload_rate) * window_s) {
        slow.emplace_back(key, "the upload sent " + std::to_string(got) + " bytes in the last " +
                                   seconds(std::chrono::duration_cast<Milliseconds>(now - upload.rate_window)) +
                                   ", less than the minimum of " + std::to_string(config_.min_upload_rate) +
                                   " bytes a second (--min-upload-rate)");
        continue;
      }
      upload.rate_window = now;
      upload.rate_window_bytes = job.received;
    }
    if (others_wait && job.phase == JobPhase::running && now - upload.bytes_at >= config_.upload_stall) {
      stalled.push_back(key);
    }
  }
  for (const auto& [key, why] : slow) {
    if (ServerJob* job = find(key)) fail(*job, ErrorCode::timeout, why);
  }
  for (const auto& key : stalled) {
    ServerJob* job = find(key);
    if (!job || job->phase != JobPhase::running) continue;
    // The pool stops it on its worker; its answer brings the job back to waiting.
    set_phase(*job, JobPhase::yielding);
    ++metrics_.yielded;
    log_event("upload_stalled", {{"job", job->key}, {"received", job->received}, {"worker_given_back", true}});
    scheduler_.cancel(job->key);
  }
}

void JobRegistry::client_joined(const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  for (ServerJob& job : c->second) {
    if (!job.upload || !job.upload->grace) continue;
    job.upload->grace.reset();
    // The rate counts from its return.
    job.upload->rate_window = Clock::now();
    job.upload->rate_window_bytes = job.received;
  }
}

void JobRegistry::client_left(const Identity& owner) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return;
  for (ServerJob& job : c->second) {
    if (is_final(job.phase) || job.upload_complete || !job.upload || job.via_http) continue;
    job.upload->grace = std::make_unique<boost::asio::steady_timer>(io_, config_.upload_grace);
    job.upload->grace->async_wait([this, key = job.key](boost::system::error_code ec) {
      if (ec) return;
      ServerJob* j = find(key);
      if (!j || is_final(j->phase) || j->upload_complete || clients_.connected(j->owner->owner_key())) return;
      fail(*j, ErrorCode::timeout,
           "the upload stopped at " + std::to_string(j->received) + " bytes and its client did not come back within " +
               seconds(config_.upload_grace) + " (--upload-grace)");
    });
  }
}

}  // namespace fastthread::server
