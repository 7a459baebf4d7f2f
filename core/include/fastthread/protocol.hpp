// Protocol v1: the messages between a client (the page) and a host (the server, or the
// browser's worker pool). One definition in C++ (here) and one in TypeScript, both
// tested against the examples in docs/protocol.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "fastthread/error.hpp"

namespace fastthread::protocol {

inline constexpr int kVersion = 1;

// ---- client -> host ------------------------------------------------------------------

// Opens a session. A client that sends the client_id it had before gets the current state
// of its jobs again; an empty client_id asks the host for a new one.
// `token` is the bearer token of a server that asks for one (never sent in the URL).
struct Hello {
  std::string client_id;
  std::string token;
};

// Asks for a job. `id` is the client's name for it (letters, digits, '.', '_', '-'; at
// most 64 characters), unique among the client's jobs. The file's bytes follow as
// binary frames unless the host already has a result for `sha256` + options.
struct Start {
  std::string id;
  std::string name;
  std::uint64_t size = 0;
  std::optional<std::string> sha256;  // 64 lowercase hex digits
  nlohmann::json options = nlohmann::json::object();  // JobOptions spelling; checked by the host
  int priority = 0;                                   // -100..100, higher runs first
};

// Cancels a job in any state; the host answers `cancel` once it has stopped.
struct Cancel {
  std::string id;
};

using ClientMessage = std::variant<Hello, Start, Cancel>;

// Why a message was refused: always code "bad_request"; `id` when the message named one.
struct BadRequest {
  std::string message;
  std::string id;
};

// Client messages nest three levels (message, options, limits); a message with an object
// or array nested deeper than this is refused, whatever field holds it.
inline constexpr int kMaxMessageDepth = 16;

// Parses one text frame from a client. Never throws: malformed JSON, a missing or unknown
// op, fields of the wrong type and nesting past kMaxMessageDepth all come back as
// BadRequest with a readable message. Unknown extra fields are ignored, so newer clients
// can talk to older hosts.
std::variant<ClientMessage, BadRequest> parse_client_message(std::string_view text);

bool is_valid_job_id(std::string_view id);

// ---- host -> client ------------------------------------------------------------------

// Host messages keep their keys in the documented order (and a summary its own order),
// so both hosts send the same bytes for the same message.
using Message = nlohmann::ordered_json;

struct Timings {
  double queued_ms = 0;
  double process_ms = 0;
  double total_ms = 0;
};

struct OutputRef {
  std::string url;     // where to fetch the transformed output ("" when there is none)
  std::uint64_t bytes = 0;
  std::string format;  // ndjson, json, csv, none
};

struct WorkerStatus {
  unsigned index = 0;
  int pid = 0;              // 0 in the browser
  std::string state;        // starting, idle, busy, stopping
  std::string job;          // id of the job it runs, "" when idle
  std::uint64_t jobs_done = 0;
  std::uint64_t rss_bytes = 0;
  double cpu_seconds = 0;
};

struct PoolStatus {
  std::string host;  // "server" or "browser"
  unsigned workers = 0;
  unsigned busy = 0;
  std::uint64_t queued = 0;
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::vector<WorkerStatus> per_worker;
};

Message hello(std::string_view client_id, const Message& server);
Message queued(std::string_view id, std::uint64_t position);
Message started(std::string_view id, std::string_view host, unsigned worker);
Message progress(std::string_view id, std::string_view phase, std::uint64_t bytes,
                        std::optional<std::uint64_t> total, std::uint64_t rows);
Message finish(std::string_view id, const Message& summary, const OutputRef& output,
                      const Timings& timings, std::string_view host, unsigned worker, bool cached);
Message error(std::string_view id, ErrorCode code, std::string_view message,
              const std::optional<Place>& place = std::nullopt);
Message error(std::string_view id, const JobError& error);
Message cancelled(std::string_view id);
Message pool(const PoolStatus& status);

// Checks a host message's shape (op, required fields and their types). Returns the first
// problem, or nullopt. Used by tests and by clients written in C++.
std::optional<std::string> check_host_message(const Message& message);

}  // namespace fastthread::protocol
