#include "server/job_registry.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "fastthread/job.hpp"
#include "server/json_log.hpp"
#include "server/random_id.hpp"

namespace fastthread::server {
namespace {

double unix_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

std::string extension_of(const std::string& name) {
  auto dot = name.rfind('.');
  if (dot == std::string::npos || name.find('/', dot) != std::string::npos) return "";
  std::string ext = name.substr(dot);
  for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return ext;
}

}  // namespace

JobRegistry::JobRegistry(boost::asio::io_context& io, const ServerConfig& config, Scheduler& scheduler,
                         ClientTable& clients, std::string spool_dir, std::string results_dir)
    : io_(io),
      config_(config),
      scheduler_(scheduler),
      clients_(clients),
      spool_dir_(std::move(spool_dir)),
      results_(config, std::move(results_dir)),
      admission_(config),
      watch_timer_(io),
      retention_timer_(io) {
  scheduler_.describe_with([this](ServerJob& job) { return pool_job(job); });
}

JobRegistry::~JobRegistry() {
  for (auto& [key, job] : jobs_) scheduler_.dequeue(*job);
}

namespace {

// The options in canonical spelling with the name cut to its extension, or nullopt (and
// `problem`) when they are not valid options.
std::optional<std::string> canonical_options(const nlohmann::ordered_json& options, std::string& problem,
                                             std::optional<JobOptions>* parsed_out = nullptr) {
  auto parsed = JobOptions::from_json(options, problem);
  if (!parsed) return std::nullopt;
  auto canonical = parsed->to_json();
  canonical["name"] = extension_of(parsed->file_name);
  if (parsed_out) *parsed_out = std::move(parsed);
  return canonical.dump();
}

}  // namespace

void JobRegistry::load_results() {
  auto loaded = results_.load();
  for (auto& job : loaded) {
    job->seq = next_seq_++;
    job->owner = intern(*job->owner);
    // The record holds the options with their name; the job keeps them as a start does.
    const auto stored = nlohmann::ordered_json::parse(*job->options_key, nullptr, false);
    std::string problem;
    auto canonical = canonical_options(stored, problem);
    if (!canonical) {
      log_event("result_skipped", {{"job", job->key}, {"reason", "its options: " + problem}});
      continue;
    }
    if (stored.is_object() && stored.contains("name") && stored["name"].is_string() && stored["name"] != job->name)
      job->options_name = stored["name"].get<std::string>();
    job->options_key = intern(std::move(*canonical));
    results_.loaded(*job);
    add(std::move(job));
  }
  log_event("results_loaded", {{"results", jobs_.size()}, {"bytes", results_.bytes()}});
  enforce_retention();
}

std::string JobRegistry::new_key() {
  while (true) {
    std::string key = random_id("j-");
    if (!jobs_.count(key)) return key;
  }
}

void JobRegistry::add(std::unique_ptr<ServerJob> owned) {
  ServerJob& job = *owned;
  // The id's view is this job's own: an ended job of the same id makes way.
  auto& ids = by_owner_[job.owner->owner_key()];
  ids.erase(std::string_view(job.id));
  ids.insert(job);
  by_principal_[job.owner->principal].insert(job);
  admission_.admitted(job);
  if (!is_final(job.phase)) {
    unfinished_.insert(job);
    if (!job.upload_complete) uploading_.insert(job.key);
    watch();
  }
  const std::string_view key = job.key;
  jobs_[key] = std::move(owned);
}

void JobRegistry::set_phase(ServerJob& job, JobPhase phase) {
  if (job.phase == phase) return;
  // The scheduler's queue points at the job: whatever moves it on takes it out.
  if (job.phase == JobPhase::queued) scheduler_.dequeue(job);
  admission_.moved(job, job.phase, phase);
  job.phase = phase;
  if (is_final(phase)) {
    if (job.unfinished_hook.is_linked()) unfinished_.erase(unfinished_.iterator_to(job));
    uploading_.erase(job.key);
  }
}

ServerJob* JobRegistry::find(const std::string& key) {
  auto it = jobs_.find(key);
  return it == jobs_.end() ? nullptr : it->second.get();
}

ServerJob* JobRegistry::find(const std::string& key, const std::string& principal) {
  ServerJob* job = find(key);
  return job && job->owner->principal == principal ? job : nullptr;
}

ServerJob* JobRegistry::find(const Identity& owner, const std::string& id) {
  auto c = by_owner_.find(owner.owner_key());
  if (c == by_owner_.end()) return nullptr;
  auto j = c->second.find(std::string_view(id));
  return j == c->second.end() ? nullptr : &*j;
}

std::vector<const ServerJob*> JobRegistry::page(const std::string& principal, std::optional<std::uint64_t> before,
                                                std::optional<std::string_view> state, std::size_t limit,
                                                bool& more) const {
  std::vector<const ServerJob*> out;
  more = false;
  auto p = by_principal_.find(principal);
  if (p == by_principal_.end()) return out;
  const auto& jobs = p->second;
  auto it = before ? jobs.lower_bound(*before) : jobs.end();
  while (it != jobs.begin()) {
    --it;
    if (state && public_state(it->phase) != *state) continue;
    if (out.size() == limit) {
      more = true;
      break;
    }
    out.push_back(&*it);
  }
  return out;
}

std::variant<ServerJob*, Refusal> JobRegistry::start(StartRequest r) {
  if (draining_) return Refusal{ErrorCode::shutting_down, "the server is shutting down and takes no new jobs"};
  if (!protocol::is_valid_job_id(r.id)) {
    return Refusal{ErrorCode::bad_request, "job id must be 1 to 64 letters, digits, '.', '_' or '-'"};
  }
  if (auto* old = find(r.owner, r.id); old && !is_final(old->phase)) {
    return Refusal{ErrorCode::bad_request,
                   "job id '" + r.id + "' is already used by an unfinished job of this client"};
  }
  if (r.size && *r.size > config_.max_file_bytes) {
    return Refusal{ErrorCode::too_large, "the file has " + std::to_string(*r.size) +
                                    " bytes, more than the server's limit of " +
                                    std::to_string(config_.max_file_bytes) + " (--max-file-bytes)"};
  }
  std::optional<Sha256> declared;
  if (r.sha256 && !(declared = Sha256::from_hex(*r.sha256)))
    return Refusal{ErrorCode::bad_request, "sha256 must be 64 lowercase hex digits"};
  if (!r.options.is_object()) return Refusal{ErrorCode::bad_request, "options must be a JSON object"};
  if (!r.options.contains("name")) r.options["name"] = r.name;
  std::string problem;
  std::optional<JobOptions> parsed;
  auto canonical = canonical_options(r.options, problem, &parsed);
  if (!canonical) return Refusal{ErrorCode::bad_request, problem};
  if (auto refusal = admission_.check_options(*parsed)) return *refusal;
  auto options_key = intern(std::move(*canonical));
  std::string options_name = parsed->file_name == r.name ? std::string() : parsed->file_name;

  // A cache hit is a job too: it passes the same limits, and answers only for bytes this
  // principal has uploaded.
  if (declared && r.size) {
    if (const std::string* hit = results_.cached(r.owner.principal + "|" + *r.sha256 + "|" + *options_key)) {
      if (const ServerJob* stored = find(*hit); stored && stored->received == *r.size) {
        if (auto refusal = admission_.check(r.owner, std::nullopt)) return *refusal;
        ServerJob& job = answer_from_cache(r, *stored, options_key);
        job.options_name = std::move(options_name);
        return &job;
      }
    }
  }
  if (auto refusal = admission_.check(r.owner, r.size)) return *refusal;

  auto owned = std::make_unique<ServerJob>();
  ServerJob& job = *owned;
  job.key = new_key();
  job.owner = intern(r.owner);
  job.id = r.id;
  job.name = r.name;
  job.size = r.size;
  if (declared) {
    job.sha256 = declared;
    job.sha256_declared = true;
  }
  job.options_key = options_key;
  job.options_name = std::move(options_name);
  job.priority = r.priority;
  job.via_http = r.via_http;
  job.created_unix = unix_now();
  job.seq = next_seq_++;
  job.upload = std::make_unique<JobUpload>(spool_path(job));
  if (const std::string error = job.upload->spool.error(); !error.empty()) {
    log_event("spool_error", {{"job", job.key}, {"reason", error}});
    job.upload->spool.remove();
    return Refusal{ErrorCode::busy, "the server cannot store the upload now: " + error};
  }
  job.spooled = true;
  // Checked by Admission::check just now: the whole declared size is held from the start.
  if (job.size) admission_.reserve(job, *job.size);
  const std::size_t ahead = admission_.ahead(job.priority);
  add(std::move(owned));
  // The job takes no worker until its bytes come (job_uploads.cpp).
  send_state(job, protocol::queued(job.id, ahead));
  if (job.size && *job.size == 0) complete_upload(job);
  return &job;
}

template <class T>
void JobRegistry::Interned<T>::prune() {
  if (table.size() < 2 * pruned_at + 64) return;
  for (auto it = table.begin(); it != table.end();) it = it->second.expired() ? table.erase(it) : std::next(it);
  pruned_at = table.size();
}

std::shared_ptr<const std::string> JobRegistry::intern(std::string options_key) {
  auto& slot = option_keys_.table[options_key];
  if (auto shared = slot.lock()) return shared;
  auto shared = std::make_shared<const std::string>(std::move(options_key));
  slot = shared;
  option_keys_.prune();
  return shared;
}

std::shared_ptr<const Identity> JobRegistry::intern(const Identity& owner) {
  auto& slot = owners_.table[owner.owner_key() + '\n' + owner.accountable];
  if (auto shared = slot.lock()) return shared;
  auto shared = std::make_shared<const Identity>(owner);
  slot = shared;
  owners_.prune();
  return shared;
}

ServerJob& JobRegistry::answer_from_cache(const StartRequest& r, const ServerJob& stored,
                                          std::shared_ptr<const std::string> options_key) {
  auto owned = std::make_unique<ServerJob>();
  ServerJob& job = *owned;
  job.key = new_key();
  job.owner = intern(r.owner);
  job.id = r.id;
  job.name = r.name;
  job.size = stored.received;
  job.received = stored.received;
  job.upload_complete = true;
  job.sha256 = stored.sha256;
  job.options_key = std::move(options_key);
  job.priority = r.priority;
  job.via_http = r.via_http;
  job.created_unix = unix_now();
  job.seq = next_seq_++;
  job.result = std::make_unique<JobResult>(*stored.result);
  auto& summary = job.result->summary;
  if (summary.contains("file") && summary["file"].is_object()) summary["file"]["name"] = r.name;
  job.result->cached = true;
  job.worker = stored.worker;
  results_.store().share_output(stored.key, job.key);
  add(std::move(owned));
  end(job, JobPhase::done);
  return job;
}

}  // namespace fastthread::server
