// One job as the server sees it, from `start` (or a POST) to its end and afterwards.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/set_hook.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fastthread/protocol.hpp"
#include "server/hex.hpp"
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

// A job's upload while its bytes are arriving (ServerJob::upload): gone once they all are.
struct JobUpload {
  explicit JobUpload(std::string spool_path) : spool(std::move(spool_path)) {}
  SpoolFile spool;
  Clock::time_point bytes_at = Clock::now();     // when bytes last came (or the start)
  Clock::time_point rate_window = Clock::now();  // the minimum-rate window began here...
  std::uint64_t rate_window_bytes = 0;           // ...with this many bytes in
  Clock::time_point progress_sent{};
  std::unique_ptr<boost::asio::steady_timer> grace;  // running while its client is away
};

// What a job ended with, beyond its state (ServerJob::result): only ended jobs have one.
struct JobResult {
  nlohmann::ordered_json summary;  // done
  std::uint64_t output_bytes = 0;
  std::string output_format;  // ndjson, json, csv, none
  std::string cache_key;      // principal + sha256 + options_key, once the job is done
  bool cached = false;        // answered from an earlier job's result
};

// A job's place in one of the ordered indexes that point at it (JobRegistry's, and the
// Scheduler's queue), held in the job itself so that an index costs no allocation per
// job. A hook is linked while the job is in its index; the index unlinks it before the
// job goes.
using IndexHook = boost::intrusive::set_member_hook<boost::intrusive::optimize_size<true>>;

// A long queue holds one of these per job, so it carries little: the parts of a job that
// only an upload in progress or an ended job needs are apart (upload, result), and so is
// an error; the owner and the option set are shared with the owner's other jobs; the
// indexes are hooks in the job; and the messages a returning client is told are made
// again from the fields (JobRegistry::state_message).
struct ServerJob {
  std::string key;                      // the host's name for it: URLs, pool, files (unique)
  std::shared_ptr<const Identity> owner;  // shared by the owner's jobs
  std::string id;                       // the client's name for it (unique among the owner's jobs)
  std::string name;                     // the file name
  std::optional<std::uint64_t> size;    // nullopt: an HTTP upload without Content-Length
  // Of the bytes received once they all are; until then the one the start declared, if any.
  std::optional<Sha256> sha256;
  bool sha256_declared = false;  // sha256 is the start's, not yet checked
  // The options in canonical spelling, their name cut to its extension (which is all the
  // sniffer reads of it), shared by every job that asked for the same ones: a long queue
  // holds few distinct option sets. The options' own name, when not the file's, is apart.
  std::shared_ptr<const std::string> options_key;
  std::string options_name;
  std::uint64_t seq = 0;  // creation order
  int priority = 0;
  bool via_http = false;
  bool upload_complete = false;  // every byte is in (the upload's own state, apart from the phase)
  bool spooled = false;          // its spool file exists (deleted at the end)
  JobPhase phase = JobPhase::waiting;
  double created_unix = 0;  // wall clock, for listings
  double ended_unix = 0;    // wall clock, for retention (--result-ttl)
  Clock::time_point created = Clock::now();
  Clock::time_point queued_at{};  // when it last joined the queue
  // Why it failed; before the end, why the server is stopping it (reported instead of
  // "cancelled").
  std::unique_ptr<JobError> error;

  // Upload
  std::unique_ptr<JobUpload> upload;  // while bytes are arriving
  std::uint64_t received = 0;
  std::uint64_t spool_reserved = 0;  // of the spool quotas (Admission)
  std::uint64_t announced = 0;       // bytes the worker has been told about
  Clock::time_point announced_at{};

  // Run
  std::optional<unsigned> worker;
  std::uint64_t parsed = 0;
  std::uint64_t rows = 0;
  Clock::time_point parse_progress_sent{};
  std::uint64_t parse_progress_bytes_sent = 0;
  protocol::Timings timings;

  // End
  std::unique_ptr<JobResult> result;

  // HTTP ?wait callers, called once the job ends.
  std::vector<std::function<void()>> waiters;

  // Its places in the indexes: the owner's jobs by id, the principal's by seq, the
  // unfinished by seq (JobRegistry), the queue (Scheduler).
  IndexHook by_owner_hook, by_principal_hook, unfinished_hook, queue_hook;

  bool done() const { return phase == JobPhase::done && result; }
  std::string output_url() const {
    return !result || result->output_format == "none" || result->output_format.empty()
               ? ""
               : "/api/jobs/" + key + "/output";
  }
  std::optional<std::uint64_t> total() const { return size; }
  // The options it runs with, with their name.
  nlohmann::ordered_json options() const;
  // The job's public description (HTTP API).
  nlohmann::ordered_json describe() const;
};

}  // namespace fastthread::server
