#include "server/config.hpp"

#include "server/access.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string_view>
#include <vector>

namespace fastthread::server {
namespace {

enum class Kind { text, count, bytes, seconds, flag, list };

struct Option {
  const char* flag;  // without the leading "--"
  Kind kind;
  const char* help;
  std::function<void*(ServerConfig&)> field;
};

std::string env_name(std::string_view flag) {
  std::string name = "FASTTHREAD_";
  for (char c : flag) name += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return name;
}

const std::vector<Option>& options() {
  // clang-format off
  static const std::vector<Option> table = {
    {"host", Kind::text, "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)",
     [](ServerConfig& c) -> void* { return &c.host; }},
    {"port", Kind::count, "TCP port (default 8080; 0 picks a free one)",
     [](ServerConfig& c) -> void* { return &c.port; }},
    {"workers", Kind::count, "worker processes (default: one per core)",
     [](ServerConfig& c) -> void* { return &c.workers; }},
    {"data-dir", Kind::text, "where uploads are spooled (DIR/spool, emptied at start and exit) and results\n"
                             "kept across restarts (DIR/results) (default ./fastthread-data)",
     [](ServerConfig& c) -> void* { return &c.data_dir; }},
    {"static-dir", Kind::text, "the built frontend served at / (default <repo>/frontend/dist when it exists)",
     [](ServerConfig& c) -> void* { return &c.static_dir; }},
    {"tokens", Kind::text, "file of principals and their token hashes (fastthread token add NAME); every\n"
                           "/api and /ws request then needs a bearer token. Without it the server serves\n"
                           "loopback only: each page or script owns its own jobs by its client id",
     [](ServerConfig& c) -> void* { return &c.tokens_file; }},
    {"insecure-no-auth", Kind::flag, "serve a non-loopback --host without --tokens (anyone who reaches it can\n"
                                     "use it)",
     [](ServerConfig& c) -> void* { return &c.insecure_no_auth; }},
    {"allow-origin", Kind::list, "origins (https://app.example.com) whose pages may use the server besides its\n"
                                 "own; comma-separated or repeated. Others are refused (403) and logged",
     [](ServerConfig& c) -> void* { return &c.allow_origins; }},
    {"allow-host", Kind::list, "names the server answers to in the Host header (the name behind a proxy),\n"
                               "besides IP addresses and localhost; comma-separated or repeated",
     [](ServerConfig& c) -> void* { return &c.allow_hosts; }},
    {"max-file-bytes", Kind::bytes, "largest file a job takes (default 10G): error too_large, HTTP 413",
     [](ServerConfig& c) -> void* { return &c.max_file_bytes; }},
    {"max-queued-jobs", Kind::count, "jobs waiting for a worker (default 1000): error busy, HTTP 503",
     [](ServerConfig& c) -> void* { return &c.max_queued_jobs; }},
    {"max-jobs-per-client", Kind::count, "unfinished jobs of one client (default 16): error rate_limited, HTTP 429",
     [](ServerConfig& c) -> void* { return &c.max_jobs_per_client; }},
    {"max-jobs-per-minute", Kind::count, "jobs one client starts in any minute (default 120): rate_limited, 429",
     [](ServerConfig& c) -> void* { return &c.max_jobs_per_minute; }},
    {"job-timeout", Kind::seconds, "seconds a job may run in a worker (default 0: no limit): error timeout",
     [](ServerConfig& c) -> void* { return &c.job_timeout; }},
    {"max-job-time", Kind::seconds, "seconds from a job's start to its end, upload included (default 21600, 6 h;\n"
                                    "0: no limit): error timeout",
     [](ServerConfig& c) -> void* { return &c.max_job_time; }},
    {"worker-memory", Kind::bytes, "address-space limit of each worker (default 0: none): error out_of_memory",
     [](ServerConfig& c) -> void* { return &c.worker_memory_bytes; }},
    {"recycle-after", Kind::count, "jobs after which a worker is replaced by a fresh one (default 0: never)",
     [](ServerConfig& c) -> void* { return &c.recycle_after; }},
    {"upload-grace", Kind::seconds, "seconds an unfinished WebSocket upload waits for its client to come back\n"
                                    "(default 30); then the job fails with timeout and its spool file goes",
     [](ServerConfig& c) -> void* { return &c.upload_grace; }},
    {"min-upload-rate", Kind::bytes, "bytes a second an upload must average over each --upload-rate-window\n"
                                     "(default 1K; 0: no minimum); slower ones fail with timeout and free their spool",
     [](ServerConfig& c) -> void* { return &c.min_upload_rate; }},
    {"upload-rate-window", Kind::seconds, "seconds over which --min-upload-rate is measured (default 60)",
     [](ServerConfig& c) -> void* { return &c.upload_rate_window; }},
    {"upload-stall", Kind::seconds, "seconds without bytes after which an upload's job gives its worker back\n"
                                    "while other jobs wait (default 5); it runs again when bytes come",
     [](ServerConfig& c) -> void* { return &c.upload_stall; }},
    {"max-spool-bytes", Kind::bytes, "bytes of every upload in progress together (default 50G): error busy, 503",
     [](ServerConfig& c) -> void* { return &c.max_spool_bytes; }},
    {"max-spool-bytes-per-principal", Kind::bytes, "bytes of one principal's uploads in progress (default 20G;\n"
                                                   "without tokens, one address's): error rate_limited, 429",
     [](ServerConfig& c) -> void* { return &c.max_spool_bytes_per_principal; }},
    {"max-record-bytes", Kind::bytes, "the most a job's limits.max_record_bytes may be (default 256M): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_record_bytes; }},
    {"max-columns", Kind::count, "the most limits.max_columns may be (default 16384): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_columns; }},
    {"max-json-depth", Kind::count, "the most limits.max_json_depth may be (default 1000): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_json_depth; }},
    {"max-sniff-bytes", Kind::bytes, "the most sniff_bytes may be (default 16M): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_sniff_bytes; }},
    {"max-infer-rows", Kind::count, "the most infer_rows may be (default 1000000): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_infer_rows; }},
    {"max-keep-errors", Kind::count, "the most keep_errors may be (default 1000): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_keep_errors; }},
    {"max-decompressed-bytes", Kind::bytes, "the most limits.max_decompressed_bytes may be (default 64G): bad_request",
     [](ServerConfig& c) -> void* { return &c.max_decompressed_bytes; }},
    {"result-ttl", Kind::seconds, "seconds a finished job (its record, summary and output) is kept after its end\n"
                                  "(default 604800, 7 days; 0: until deleted)",
     [](ServerConfig& c) -> void* { return &c.result_ttl; }},
    {"max-results-bytes", Kind::bytes, "size of DIR/results (outputs and records); past it the oldest results go\n"
                                       "first (default 20G; 0: no cap)",
     [](ServerConfig& c) -> void* { return &c.max_results_bytes; }},
    {"max-wait", Kind::seconds, "longest ?wait=SECONDS a POST may ask for (default 600)",
     [](ServerConfig& c) -> void* { return &c.max_wait; }},
    {"max-connections", Kind::count, "open HTTP and WebSocket connections (default 1024; lowered at start to what\n"
                                     "the open-file limit allows); more are answered 503 (busy) and closed",
     [](ServerConfig& c) -> void* { return &c.max_connections; }},
    {"max-connections-per-address", Kind::count, "open connections from one remote address (default 64; 0: no cap);\n"
                                                 "more are answered 503 (busy) and closed. Behind a proxy every\n"
                                                 "connection has the proxy's address: give 0 and cap in the proxy",
     [](ServerConfig& c) -> void* { return &c.max_connections_per_address; }},
    {"max-send-queue-bytes", Kind::bytes, "bytes waiting to be sent to one WebSocket client (default 8M, besides the\n"
                                          "state of its jobs sent at hello); a client that does not read past it is\n"
                                          "dropped, and its jobs go on as after any disconnect",
     [](ServerConfig& c) -> void* { return &c.max_send_queue_bytes; }},
    {"ws-idle-timeout", Kind::seconds, "seconds a WebSocket may send nothing (default 60; 0: no limit): it is pinged\n"
                                       "after half of it, and closed when it answers nothing by the end",
     [](ServerConfig& c) -> void* { return &c.ws_idle_timeout; }},
    {"hello-timeout", Kind::seconds, "seconds a new WebSocket has to say hello (default 10; 0: no limit); then it\n"
                                     "gets error timeout and is closed (1008)",
     [](ServerConfig& c) -> void* { return &c.hello_timeout; }},
    {"max-frame-bytes", Kind::bytes, "largest WebSocket binary frame (default 4M+256: a 4 MiB upload piece);\n"
                                     "a bigger one is answered with bad_request and closes that connection",
     [](ServerConfig& c) -> void* { return &c.max_frame_bytes; }},
    {"max-text-bytes", Kind::bytes, "largest WebSocket text message (default 64K); same answer as above",
     [](ServerConfig& c) -> void* { return &c.max_text_bytes; }},
    {"max-header-bytes", Kind::bytes, "largest HTTP request header (default 16K): HTTP 431",
     [](ServerConfig& c) -> void* { return &c.max_header_bytes; }},
    {"http-timeout", Kind::seconds, "seconds for an HTTP request header, each piece of a body and each\n"
                                    "response write (default 30); a stalled connection is closed",
     [](ServerConfig& c) -> void* { return &c.http_timeout; }},
    {"drain-timeout", Kind::seconds, "seconds SIGTERM lets running jobs finish before they are stopped (default 30)",
     [](ServerConfig& c) -> void* { return &c.drain_timeout; }},
  };
  // clang-format on
  return table;
}

// "10G", "4M", "64K", "123" (binary multiples).
std::optional<std::uint64_t> parse_bytes(std::string_view text, bool allow_suffix) {
  if (text.empty()) return std::nullopt;
  std::uint64_t multiplier = 1;
  char last = text.back();
  if (allow_suffix &&
      (last == 'k' || last == 'K' || last == 'm' || last == 'M' || last == 'g' || last == 'G')) {
    multiplier = (last == 'k' || last == 'K')   ? 1ull << 10
                 : (last == 'm' || last == 'M') ? 1ull << 20
                                                : 1ull << 30;
    text.remove_suffix(1);
  }
  std::uint64_t value = 0;
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (std::numeric_limits<std::uint64_t>::max() - 9) / 10) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > std::numeric_limits<std::uint64_t>::max() / multiplier) return std::nullopt;
  return value * multiplier;
}

// Stores `value` into the option's field; returns a reason when it does not fit.
std::optional<std::string> assign(const Option& option, ServerConfig& config, const std::string& value) {
  void* field = option.field(config);
  const std::string flag = std::string("--") + option.flag;
  if (option.kind == Kind::text) {
    *static_cast<std::string*>(field) = value;
    return std::nullopt;
  }
  if (option.kind == Kind::flag) {
    if (value != "1" && value != "true" && value != "0" && value != "false")
      return flag + " is a switch: give no value, or 1/true/0/false, not '" + value + "'";
    *static_cast<bool*>(field) = value == "1" || value == "true";
    return std::nullopt;
  }
  if (option.kind == Kind::list) {
    auto& list = *static_cast<std::vector<std::string>*>(field);
    std::size_t start = 0;
    while (start <= value.size()) {
      std::size_t comma = value.find(',', start);
      std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) list.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return std::nullopt;
  }
  if (option.kind == Kind::seconds) {
    char* end = nullptr;
    errno = 0;
    double seconds = std::strtod(value.c_str(), &end);
    if (errno != 0 || end == value.c_str() || *end != '\0' || !(seconds >= 0) || seconds > 1e9) {
      return flag + " needs seconds (a number, 0 or more), not '" + value + "'";
    }
    *static_cast<Milliseconds*>(field) =
        Milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
    return std::nullopt;
  }
  auto n = parse_bytes(value, option.kind == Kind::bytes);
  if (!n)
    return flag + " needs " + (option.kind == Kind::bytes ? "a size (bytes, or with K, M, G)" : "a count") +
           ", not '" + value + "'";
  if (field == &config.port) {
    if (*n > 65535) return "--port must be between 0 and 65535";
    config.port = static_cast<std::uint16_t>(*n);
  } else if (field == &config.workers || field == &config.recycle_after) {
    if (*n > 4096) return flag + " must be at most 4096";
    *static_cast<unsigned*>(field) = static_cast<unsigned>(*n);
  } else {
    *static_cast<std::uint64_t*>(field) = *n;
  }
  return std::nullopt;
}

}  // namespace

std::string server_help() {
  std::string text =
      "Usage: fastthread serve [options]\n"
      "\n"
      "Serves the frontend, a WebSocket (/ws, protocol v1: docs/protocol.md) and an HTTP API\n"
      "(/api/jobs, /healthz, /metrics) over a pool of worker processes. Prints\n"
      "\"fastthread: listening on http://HOST:PORT\" on stdout when ready, and JSON log lines\n"
      "(startup, one per finished job, shutdown) on stderr. SIGTERM drains (running jobs\n"
      "finish, new ones are refused); SIGINT, or a second signal, stops at once.\n"
      "\n"
      "Every option can also come from the environment variable shown (the flag wins).\n"
      "Sizes take K, M or G (binary); times are seconds.\n\n";
  for (const Option& o : options()) {
    std::string head = std::string("  --") + o.flag +
                       (o.kind == Kind::text      ? " TEXT"
                        : o.kind == Kind::flag    ? ""
                        : o.kind == Kind::list    ? " LIST"
                        : o.kind == Kind::seconds ? " SECONDS"
                        : o.kind == Kind::bytes   ? " SIZE"
                                                  : " N");
    text += head + "   [" + env_name(o.flag) + "]\n";
    std::string help = o.help;
    std::size_t start = 0;
    while (start <= help.size()) {
      std::size_t nl = help.find('\n', start);
      text += "      " + help.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  text +=
      "\nExample:\n"
      "  fastthread serve --port 0 --workers 2 --data-dir /tmp/ft\n"
      "  curl -T big.csv 'http://127.0.0.1:8080/api/jobs/big.csv?to=ndjson&wait=60'\n";
  return text;
}

std::optional<ServerConfig> parse_server_config(int argc, char** argv, bool& help) {
  help = false;
  ServerConfig config;
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "fastthread serve: %s\nRun 'fastthread serve --help' for usage.\n", why.c_str());
    return std::nullopt;
  };
  for (const Option& o : options()) {
    if (const char* value = std::getenv(env_name(o.flag).c_str())) {
      if (auto problem = assign(o, config, value)) return fail(*problem + " (from " + env_name(o.flag) + ")");
    }
  }
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      std::fputs(server_help().c_str(), stdout);
      return std::nullopt;
    }
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
      has_value = true;
    }
    const Option* found = nullptr;
    for (const Option& o : options()) {
      if (arg == std::string("--") + o.flag) found = &o;
    }
    if (!found) return fail("unknown option '" + arg + "'");
    if (!has_value && found->kind == Kind::flag) {
      value = "1";
      has_value = true;
    }
    if (!has_value) {
      if (i + 1 >= argc) return fail(arg + " needs a value");
      value = argv[++i];
    }
    if (auto problem = assign(*found, config, value)) return fail(*problem);
  }
  if (config.max_frame_bytes < 1024) return fail("--max-frame-bytes must be at least 1024");
  if (config.max_text_bytes < 1024) return fail("--max-text-bytes must be at least 1024");
  if (config.max_connections == 0) return fail("--max-connections must be at least 1");
  if (config.max_send_queue_bytes < 1024) return fail("--max-send-queue-bytes must be at least 1024");
  if (config.upload_rate_window.count() < 1000) return fail("--upload-rate-window must be at least 1 second");
  for (const auto& origin : config.allow_origins) {
    if (!normalise_origin(origin))
      return fail("--allow-origin takes origins such as https://app.example.com, not '" + origin + "'");
  }
  return config;
}

}  // namespace fastthread::server
