// The server's settings: every limit is a flag (--max-file-bytes) and an environment
// variable (FASTTHREAD_MAX_FILE_BYTES); a flag wins over the environment.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace fastthread::server {

using Milliseconds = std::chrono::milliseconds;

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  unsigned workers = 0;  // 0: one per core
  std::string data_dir = "fastthread-data";
  std::string static_dir;  // "": <repo>/frontend/dist when it exists

  // Who may use it (server/access.hpp)
  std::string tokens_file;          // "": no tokens, loopback only (unless insecure_no_auth)
  bool insecure_no_auth = false;    // serve another address without tokens
  std::vector<std::string> allow_origins;  // besides the server's own origin
  std::vector<std::string> allow_hosts;    // Host names besides IP literals and localhost

  // Jobs
  std::uint64_t max_file_bytes = 10ull << 30;
  std::uint64_t max_queued_jobs = 1000;
  std::uint64_t max_jobs_per_client = 16;   // unfinished jobs of one client at a time
  std::uint64_t max_jobs_per_minute = 120;  // jobs one client may start in any minute
  Milliseconds job_timeout{0};              // on a worker; 0: none
  Milliseconds max_job_time{6 * 3600 * 1000};  // from start to end, upload included; 0: none
  std::uint64_t worker_memory_bytes = 0;    // 0: none
  unsigned recycle_after = 0;               // jobs before a worker is replaced; 0: never
  Milliseconds upload_grace{30000};         // how long an upload waits for its client to reconnect
  std::uint64_t min_upload_rate = 1024;     // bytes a second, averaged over upload_rate_window; 0: none
  Milliseconds upload_rate_window{60000};
  Milliseconds upload_stall{5000};          // no bytes this long while others wait: the worker goes back
  std::uint64_t max_spool_bytes = 50ull << 30;                // every upload on disk at once
  std::uint64_t max_spool_bytes_per_principal = 20ull << 30;  // one principal's (or address's)

  // The most a client may raise the core's parser limits to (JobOptions)
  std::uint64_t max_record_bytes = 256ull << 20;
  std::uint64_t max_columns = 16384;
  std::uint64_t max_json_depth = 1000;
  std::uint64_t max_sniff_bytes = 16ull << 20;
  std::uint64_t max_infer_rows = 1000000;
  std::uint64_t max_keep_errors = 1000;
  std::uint64_t max_decompressed_bytes = 64ull << 30;
  Milliseconds max_wait{600000};            // longest ?wait= of a POST

  // Retention (results.hpp)
  Milliseconds result_ttl{7ll * 24 * 3600 * 1000};  // after a job's end; 0: kept until deleted
  std::uint64_t max_results_bytes = 20ull << 30;    // the results folder; 0: no cap

  // Connections
  std::uint64_t max_connections = 1024;         // lowered at start to what the open-file limit allows
  std::uint64_t max_connections_per_address = 64;  // 0: no cap per address
  std::uint64_t max_send_queue_bytes = 8ull << 20;  // unsent bytes of one WebSocket before it is dropped
  Milliseconds ws_idle_timeout{60000};  // a WebSocket that answers nothing, not even pings; 0: none
  Milliseconds hello_timeout{10000};    // a WebSocket without a hello; 0: none
  std::uint64_t max_frame_bytes = (4ull << 20) + 256;  // a binary upload frame: id + 4 MiB
  std::uint64_t max_text_bytes = 64ull << 10;          // a JSON message
  std::uint64_t max_header_bytes = 16ull << 10;
  Milliseconds http_timeout{30000};  // reading a request's header, writing a response, each body piece

  // Shutdown
  Milliseconds drain_timeout{30000};
};

// Reads the environment, then `argv` (the arguments after "serve"). Returns nullopt after
// printing the reason (exit 2), or with `help` set after printing the help (exit 0).
std::optional<ServerConfig> parse_server_config(int argc, char** argv, bool& help);

// The help text: every flag, its variable, its default and what it limits.
std::string server_help();

}  // namespace fastthread::server
