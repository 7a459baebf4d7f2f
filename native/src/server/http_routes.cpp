#include "server/http_routes.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "server/metrics.hpp"
#include "server/static_files.hpp"

namespace fastthread::server {
namespace {

const char* output_content_type(const std::string& format) {
  if (format == "csv") return "text/csv; charset=utf-8";
  if (format == "json") return "application/json";
  if (format == "ndjson") return "application/x-ndjson";
  return "application/octet-stream";
}

Response job_output(SharedState& state, const ServerJob& job, const RequestHeader& request) {
  if (job.phase != JobPhase::done) {
    return error_response(request, ErrorCode::not_found,
                          "job " + job.key + " is " + std::string(public_state(job.phase)) +
                              ": its output exists once it is done");
  }
  if (job.output_url().empty() || !job.result)
    return error_response(request, ErrorCode::not_found, "job " + job.key + " has no output (to: none)");
  FileResponse res{http::status::ok, request.version()};
  error_code ec;
  res.body().open(state.jobs().store().output_path(job.key).c_str(), beast::file_mode::scan, ec);
  if (ec) return error_response(request, ErrorCode::not_found, "the output of job " + job.key + " is gone");
  res.set(http::field::server, "fastthread/" FASTTHREAD_VERSION);
  res.set(http::field::content_type, output_content_type(job.result->output_format));
  res.set(http::field::content_disposition,
          "attachment; filename=\"" + download_name(job.name, job.result->output_format) + "\"");
  res.set(http::field::cache_control, "no-cache");
  res.keep_alive(request.keep_alive());
  res.prepare_payload();
  return res;
}

// A longer name ending in `suffix` (given in lower case), whatever the name's case.
bool ends_with_ignoring_case(const std::string& name, std::string_view suffix) {
  if (name.size() <= suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), name.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char lower, char c) { return std::tolower(static_cast<unsigned char>(c)) == lower; });
}

}  // namespace

std::string download_name(const std::string& input_name, const std::string& format) {
  const auto slash = input_name.find_last_of("/\\");
  std::string base = input_name.substr(slash == std::string::npos ? 0 : slash + 1);
  // The input was decompressed before it was read: its compression suffix goes first.
  for (std::string_view suffix : {".gz", ".gzip", ".zst", ".zstd"}) {
    if (ends_with_ignoring_case(base, suffix)) {
      base.resize(base.size() - suffix.size());
      break;
    }
  }
  if (auto dot = base.rfind('.'); dot != std::string::npos && dot > 0) base.resize(dot);
  // Keep the header field simple and safe: no quotes, backslashes or control characters.
  for (char& c : base) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  }
  if (base.empty()) base = "output";
  // Never the input's own name: a CSV made from a CSV must not be saved over it.
  return base + ".fastthread." + format;
}

nlohmann::ordered_json job_document(const ServerJob& job) {
  nlohmann::ordered_json doc = job.describe();
  if (job.phase == JobPhase::done && job.result) doc["summary"] = job.result->summary;
  return doc;
}

// GET /api/jobs?state=S&limit=N&before=CURSOR: one page of the asker's jobs, newest first.
Response list_jobs(SharedState& state, const Target& target, const RequestHeader& request,
                   const Identity& identity) {
  constexpr std::size_t kDefaultLimit = 100, kMaxLimit = 1000;
  std::size_t limit = kDefaultLimit;
  std::optional<std::uint64_t> before;
  std::optional<std::string> phase;
  auto number = [](const std::string& text) -> std::optional<std::uint64_t> {
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return std::stoull(text);
  };
  if (auto it = target.query.find("limit"); it != target.query.end()) {
    auto n = number(it->second);
    if (!n || *n == 0 || *n > kMaxLimit)
      return error_response(request, ErrorCode::bad_request,
                            "limit must be a whole number from 1 to " + std::to_string(kMaxLimit));
    limit = static_cast<std::size_t>(*n);
  }
  if (auto it = target.query.find("before"); it != target.query.end()) {
    before = number(it->second);
    if (!before)
      return error_response(request, ErrorCode::bad_request, "before must be the 'next' of an earlier page");
  }
  if (auto it = target.query.find("state"); it != target.query.end()) {
    for (const char* p : {"queued", "running", "done", "failed", "cancelled"}) {
      if (it->second == p) phase = p;
    }
    if (!phase)
      return error_response(request, ErrorCode::bad_request,
                            "state must be queued, running, done, failed or cancelled, not '" + it->second + "'");
  }
  bool more = false;
  auto jobs = state.jobs().page(identity.principal, before, phase, limit, more);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ServerJob* job : jobs) list.push_back(job->describe());
  nlohmann::ordered_json body = {{"jobs", std::move(list)}};
  body["next"] = more ? nlohmann::ordered_json(std::to_string(jobs.back()->seq)) : nlohmann::ordered_json(nullptr);
  return json_response(request, http::status::ok, body);
}

Response route(SharedState& state, const Target& target, const RequestHeader& request,
               const Identity* identity) {
  const auto method = request.method();
  const bool get = method == http::verb::get || method == http::verb::head;
  const std::string& path = target.path;

  if (path == "/healthz") {
    if (!get) return error_response(request, ErrorCode::method_not_allowed, "use GET");
    const auto pool = state.scheduler().stats();
    const bool draining = state.jobs().draining();
    return json_response(request, draining ? http::status::service_unavailable : http::status::ok,
                         {{"status", draining ? "draining" : "ok"},
                          {"version", FASTTHREAD_VERSION},
                          {"workers", pool.workers},
                          {"busy", pool.busy},
                          {"queued", pool.queued}});
  }
  if (path == "/metrics") {
    if (!get) return error_response(request, ErrorCode::method_not_allowed, "use GET");
    return text_response(request, http::status::ok, render_metrics(state),
                         "text/plain; version=0.0.4; charset=utf-8");
  }
  if (path == "/api/jobs" || path == "/api/jobs/") {
    if (!get)
      return error_response(request, ErrorCode::method_not_allowed,
                            "GET lists the jobs; POST (or PUT /api/jobs/NAME) uploads one");
    return list_jobs(state, target, request, *identity);
  }
  if (path.rfind("/api/jobs/", 0) == 0) {
    std::string rest = path.substr(10);
    auto ends_with = [&rest](std::string_view suffix) {
      return rest.size() > suffix.size() && rest.compare(rest.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const bool output = ends_with("/output");
    const bool ticket = !output && ends_with("/ticket");
    if (output || ticket) rest.resize(rest.size() - 7);
    // With tokens, another principal's job answers as no job at all. Without tokens the key
    // itself (128 random bits, told only to its owner) is what entitles, as a ticket does.
    ServerJob* job = identity && state.access().tokens_required() ? state.jobs().find(rest, identity->principal)
                                                                  : state.jobs().find_by_key(rest);
    if (!job) return error_response(request, ErrorCode::not_found, "no job '" + rest + "'");
    if (output) {
      if (!get) return error_response(request, ErrorCode::method_not_allowed, "use GET");
      return job_output(state, *job, request);
    }
    if (ticket) {
      if (method != http::verb::post) return error_response(request, ErrorCode::method_not_allowed, "use POST");
      if (job->output_url().empty() || job->phase != JobPhase::done)
        return error_response(request, ErrorCode::not_found, "job " + job->key + " has no output to download");
      const std::string t = state.tickets().issue(job->key);
      if (t.empty()) return error_response(request, ErrorCode::busy, "too many download links are out; try again in a minute");
      return json_response(request, http::status::ok,
                           {{"url", job->output_url() + "?ticket=" + t},
                            {"expires_in_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  DownloadTickets::kLifetime).count()}});
    }
    if (get) return json_response(request, http::status::ok, job_document(*job));
    if (method == http::verb::delete_) {
      if (state.jobs().cancel(*job)) {
        return json_response(
            request, http::status::accepted,
            {{"key", job->key}, {"state", public_state(job->phase)}, {"cancelling", !is_final(job->phase)}});
      }
      const std::string key = job->key;
      state.jobs().erase(key);
      return json_response(request, http::status::ok, {{"key", key}, {"deleted", true}});
    }
    return error_response(request, ErrorCode::method_not_allowed,
                          "use GET or DELETE (PUT uploads a new file to /api/jobs/NAME)");
  }
  if (path.rfind("/api/", 0) == 0 || path == "/ws") {
    return error_response(request, ErrorCode::not_found,
                          path == "/ws" ? "/ws takes WebSocket upgrades only" : "no endpoint " + path);
  }
  if (!get) return error_response(request, ErrorCode::method_not_allowed, "files are read with GET");
  return serve_static(state.config().static_dir, target, request);
}

}  // namespace fastthread::server
