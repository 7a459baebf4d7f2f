#include "server/server_job.hpp"

namespace fastthread::server {

std::string_view to_string(JobPhase phase) {
  switch (phase) {
    case JobPhase::waiting: return "waiting";
    case JobPhase::queued: return "queued";
    case JobPhase::running: return "running";
    case JobPhase::yielding: return "yielding";
    case JobPhase::stopping: return "stopping";
    case JobPhase::done: return "done";
    case JobPhase::failed: return "failed";
    case JobPhase::cancelled: return "cancelled";
  }
  return "unknown";
}

std::string_view public_state(JobPhase phase) {
  switch (phase) {
    case JobPhase::waiting:
    case JobPhase::queued:
    case JobPhase::yielding: return "queued";
    case JobPhase::running:
    case JobPhase::stopping: return "running";
    default: return to_string(phase);
  }
}

nlohmann::ordered_json ServerJob::options() const {
  auto options = options_key ? nlohmann::ordered_json::parse(*options_key) : nlohmann::ordered_json::object();
  options["name"] = options_name.empty() ? name : options_name;
  return options;
}

nlohmann::ordered_json ServerJob::describe() const {
  nlohmann::ordered_json j = {{"key", key},
                              {"id", id},
                              {"owner", owner->principal},
                              {"client_id", owner->client_id},
                              {"name", name},
                              {"state", public_state(phase)},
                              {"size", size ? nlohmann::ordered_json(*size) : nlohmann::ordered_json(nullptr)},
                              {"received", received},
                              {"upload_complete", upload_complete},
                              {"parsed", parsed},
                              {"rows", rows},
                              {"created", created_unix},
                              {"priority", priority},
                              {"options", options()},
                              {"cached", result && result->cached},
                              {"url", "/api/jobs/" + key}};
  if (sha256 && !sha256_declared) j["sha256"] = sha256->hex();
  if (worker) j["worker"] = *worker;
  if (is_final(phase)) {
    j["timings"] = {
        {"queued_ms", timings.queued_ms}, {"process_ms", timings.process_ms}, {"total_ms", timings.total_ms}};
  }
  if (phase == JobPhase::done && result) {
    j["output"] = {{"url", output_url()}, {"bytes", result->output_bytes}, {"format", result->output_format}};
  }
  if (phase == JobPhase::failed && error) j["error"] = to_json(*error);
  return j;
}

}  // namespace fastthread::server
