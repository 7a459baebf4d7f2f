// Every HTTP endpoint but the uploads (read piece by piece by HttpSession) and the
// WebSocket upgrade: /healthz, /metrics, /api/jobs..., and the frontend's files.
#pragma once

#include "server/http_responses.hpp"
#include "server/http_target.hpp"
#include "server/shared_state.hpp"

namespace fastthread::server {

// `identity`: who asks, for every /api route (nullptr only for the others, and for a
// download that brought a valid ticket).
Response route(SharedState& state, const Target& target, const RequestHeader& request,
               const Identity* identity);

// The job's description with its summary (when done): GET /api/jobs/{key} and POST answers.
nlohmann::ordered_json job_document(const ServerJob& job);

// "sales.csv" + csv -> "sales.fastthread.csv" ("sales.csv.gz" too): the download's name,
// never the input's own.
std::string download_name(const std::string& input_name, const std::string& format);

}  // namespace fastthread::server
