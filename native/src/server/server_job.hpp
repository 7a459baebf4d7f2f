// One job as the server sees it, from `start` (or a POST) to its end and afterwards.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fastthread/protocol.hpp"
#include "server/identity.hpp"
#include "server/spool_file.hpp"

namespace fastthread::server {

using Clock = std::chrono::steady_clock;

// Where a job is. Only the registry moves a job from one phase to another (set_phase),
// and only along these lines:
//   waiting -> queued -> running -> done | failed | cancelled
//   queued | running -> yielding -> waiting   (its upload stalled while others wait)
//   queued | running -> stopping -> failed | cancelled   (the pool's answer ends it)
//   waiting -> failed | cancelled
enum class JobPhase : std::uint8_t {
  waiting,   // accepted; its bytes have not begun, or it gave its worker back
  queued,    // in the pool's queue
  running,   // on a worker
  yielding,  // giving its worker back: the pool's answer sends it to waiting
  stopping,  // cancelled or failed by the server while in the pool: the pool's answer ends it
  done,
  failed,
  cancelled,
};
inline constexpr std::size_t kJobPhases = 8;
std::string_view to_string(JobPhase phase);
// What a client is told: queued, running, done, failed or cancelled.
std::string_view public_state(JobPhase phase);
inline bool is_final(JobPhase p) {
  return p == JobPhase::done || p == JobPhase::failed || p == JobPhase::cancelled;
}
// The pool holds the job: it answers with `finished` once, whatever we ask of it.
inline bool in_pool(JobPhase p) {
  return p == JobPhase::queued || p == JobPhase::running || p == JobPhase::yielding || p == JobPhase::stopping;
}

struct ServerJob {
  std::string key;                    // the host's name for it: URLs, pool, files (unique)
  Identity owner;
  std::string id;                     // the client's name for it (unique among the owner's jobs)
  std::string name;                   // the file name
  std::optional<std::uint64_t> size;  // nullopt: an HTTP upload without Content-Length
  std::optional<std::string> declared_sha256;
  std::string sha256;  // of the bytes received, once they all are
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
  // The options in canonical spelling (with the name's extension), shared by every job
  // that asked for the same ones: a long queue holds few distinct option sets.
  std::shared_ptr<const std::string> options_key;
  std::string cache_key;  // principal + sha256 + options_key, once the job is done
  std::uint64_t seq = 0;    // creation order
  int priority = 0;
  bool via_http = false;
  double created_unix = 0;  // wall clock, for listings
  double ended_unix = 0;    // wall clock, for retention (--result-ttl)
  Clock::time_point created = Clock::now();

  JobPhase phase = JobPhase::waiting;
  std::optional<JobError> pending_error;  // why the server stopped it: reported instead of "cancelled"

  // Upload
  std::unique_ptr<SpoolFile> spool;  // while bytes are arriving and the worker reads them
  std::uint64_t received = 0;
  bool upload_complete = false;  // every byte is in (the upload's own state, apart from the phase)
  std::uint64_t announced = 0;   // bytes the worker has been told about
  Clock::time_point announced_at{};
  Clock::time_point upload_progress_sent{};
  Clock::time_point bytes_at = Clock::now();      // when bytes last came (or the start)
  Clock::time_point rate_window = Clock::now();   // the minimum-rate window began here...
  std::uint64_t rate_window_bytes = 0;            // ...with this many bytes in
  std::uint64_t spool_reserved = 0;               // of the spool quotas (Admission)
  std::unique_ptr<boost::asio::steady_timer> upload_grace;  // running while its client is away

  // Run
  std::optional<unsigned> worker;
  std::uint64_t parsed = 0;
  std::uint64_t rows = 0;
  Clock::time_point parse_progress_sent{};
  std::uint64_t parse_progress_bytes_sent = 0;

  // End
  nlohmann::ordered_json summary;  // done
  std::optional<JobError> error;  // failed
  protocol::Timings timings;
  std::uint64_t output_bytes = 0;
  std::string output_format;  // ndjson, json, csv, none
  bool cached = false;

  // What a reconnecting client is told: the message of its state, and the latest progress.
  nlohmann::ordered_json state_message;
  nlohmann::ordered_json progress_message;

  // HTTP ?wait callers, called once the job ends.
  std::vector<std::function<void()>> waiters;

  std::string output_url() const {
    return output_format == "none" || output_format.empty() ? "" : "/api/jobs/" + key + "/output";
  }
  std::optional<std::uint64_t> total() const { return size; }
  // The job's public description (HTTP API).
  nlohmann::ordered_json describe() const;
};

}  // namespace fastthread::server
