// Every job the server knows, from `start` to the end and after (results are kept), and
// the state machine that moves it (server_job.hpp draws it): a job waits until its bytes
// come, goes to the pool, gives its worker back when its upload stalls while others wait,
// and ends once. The pool's events become protocol messages for the job's owner.
//
// The parts: job_registry.cpp (start, lookups, listings), job_uploads.cpp (bytes into the
// spool, the minimum rate, stalls, absent clients), job_lifecycle.cpp (the pool's events,
// cancel, the end, replay). Admission (admission.hpp) says who may start what.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/set.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "server/admission.hpp"
#include "server/client_table.hpp"
#include "server/config.hpp"
#include "server/identity.hpp"
#include "server/refusal.hpp"
#include "server/results.hpp"
#include "server/scheduler.hpp"
#include "server/server_job.hpp"

namespace fastthread::server {

struct StartRequest {
  Identity owner;
  std::string id;
  std::string name;
  std::optional<std::uint64_t> size;  // nullopt: not known before the upload ends (HTTP)
  std::optional<std::string> sha256;
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
  int priority = 0;
  bool via_http = false;
};

// Counters for /metrics.
struct JobMetrics {
  static constexpr double kBuckets[] = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 1800};
  std::uint64_t bytes_uploaded = 0;
  std::uint64_t bytes_parsed = 0;
  std::uint64_t yielded = 0;  // times a stalled upload gave its worker back
  std::map<std::string, std::uint64_t> ended;  // by final state
  std::uint64_t bucket_counts[std::size(kBuckets)] = {};
  std::uint64_t duration_count = 0;
  double duration_sum = 0;  // seconds
  void record_end(const ServerJob& job);
};

// An ordered index of jobs through one of their hooks, by the key KeyOf gives.
template <IndexHook ServerJob::*Hook, class KeyOf>
using JobIndex = boost::intrusive::set<ServerJob, boost::intrusive::member_hook<ServerJob, IndexHook, Hook>,
                                       boost::intrusive::key_of_value<KeyOf>,
                                       boost::intrusive::constant_time_size<false>>;
struct JobSeq {
  using type = std::uint64_t;
  type operator()(const ServerJob& job) const { return job.seq; }
};
struct JobId {
  using type = std::string_view;
  type operator()(const ServerJob& job) const { return job.id; }
};

class JobRegistry {
 public:
  JobRegistry(boost::asio::io_context& io, const ServerConfig& config, Scheduler& scheduler,
              ClientTable& clients, std::string spool_dir, std::string results_dir);
  // The scheduler's queue points into the jobs: they leave it before they go.
  ~JobRegistry();
  JobRegistry(const JobRegistry&) = delete;
  JobRegistry& operator=(const JobRegistry&) = delete;

  // Indexes the results kept by earlier runs.
  void load_results();

  // A new job: refused, answered from the cache (done at once), or waiting for its bytes.
  // The owner's connections get `queued` (or `finish`).
  std::variant<ServerJob*, Refusal> start(StartRequest request);
  // Bytes of the job's file, in order. A refusal says the bytes were not for an upload;
  // a job that fails because of them (over its size) gets its `error` sent instead.
  std::optional<Refusal> upload(ServerJob& job, std::string_view bytes);
  // The HTTP body ended: that is the whole file.
  void end_upload(ServerJob& job);
  // The connection carrying an upload that cannot be resumed (HTTP) broke.
  void abandon_upload(ServerJob& job, const std::string& reason);

  // Stops a job (the owner is told `cancel` once it has stopped). False when already ended.
  bool cancel(ServerJob& job);
  // Forgets an ended job and deletes its files.
  void erase(const std::string& key);
  // Calls `done` once the job has ended (at once if it has).
  void when_ended(ServerJob& job, std::function<void()> done);

  // A job of `principal` by its key; nullptr for another principal's, as for none.
  ServerJob* find(const std::string& key, const std::string& principal);
  // Any job by its key, for a request the key itself entitles: a download whose ticket was
  // checked, or any request to a server without tokens (a key is its owner's secret).
  ServerJob* find_by_key(const std::string& key) { return find(key); }
  // A client's job by the client's id for it.
  ServerJob* find(const Identity& owner, const std::string& id);
  // One page of a principal's jobs, newest first: those created before `before` (a seq;
  // none: from the newest), in the public `state` if given, at most `limit`. `more` says
  // whether older ones follow.
  std::vector<const ServerJob*> page(const std::string& principal, std::optional<std::uint64_t> before,
                                     std::optional<std::string_view> state, std::size_t limit, bool& more) const;
  std::size_t count(JobPhase phase) const { return admission_.count(phase); }
  const Admission& admission() const { return admission_; }

  // What the job's owner is told of where it stands: queued, start, finish, error or
  // cancelled (made from the job's fields: a long queue keeps no messages).
  nlohmann::ordered_json state_message(const ServerJob& job) const;
  // A connection of `owner` said hello: the state of each of its jobs again.
  void replay(ClientConnection& connection, const Identity& owner);
  void client_joined(const Identity& owner);
  void client_left(const Identity& owner);

  void set_draining() { draining_ = true; }
  bool draining() const { return draining_; }
  const JobMetrics& metrics() const { return metrics_; }
  const ResultStore& store() const { return results_.store(); }
  const Results& results() const { return results_; }

  // The pool's events.
  void on_started(const std::string& key, unsigned worker);
  void on_progress(const std::string& key, std::uint64_t bytes, std::uint64_t rows);
  void on_finished(const std::string& key, const pool::JobOutcome& outcome);

 private:
  ServerJob* find(const std::string& key);
  // Every change of phase goes through here: it keeps Admission's counts.
  void set_phase(ServerJob& job, JobPhase phase);
  void add(std::unique_ptr<ServerJob> job);
  // Drops the job from every index (its files are the caller's business).
  void forget(const std::string& key);
  ServerJob& answer_from_cache(const StartRequest& request, const ServerJob& stored,
                               std::shared_ptr<const std::string> options_key);
  // One shared copy of each option set, and of each owner, in use.
  std::shared_ptr<const std::string> intern(std::string options_key);
  std::shared_ptr<const Identity> intern(const Identity& owner);
  std::string spool_path(const ServerJob& job) const { return spool_dir_ + "/" + job.key + ".upload"; }
  std::string new_key();

  // job_uploads.cpp
  void complete_upload(ServerJob& job);
  // Queues a waiting job for a worker, with the bytes it has so far.
  void submit(ServerJob& job);
  // What the pool needs of a queued job, made once a worker is free for it.
  pool::PoolJob pool_job(ServerJob& job);
  void announce(ServerJob& job, bool force);
  // Once a second while uploads are in progress or jobs unfinished: the minimum rate,
  // stalled uploads that hold a worker others wait for, and the total job time.
  void watch();
  void sweep();

  // job_lifecycle.cpp
  // Forgets results past --result-ttl or over --max-results-bytes (but not `spare`'s), and
  // sets the timer for the next one to expire.
  void enforce_retention(const std::string* spare = nullptr);
  void fail(ServerJob& job, ErrorCode code, const std::string& message);
  void end(ServerJob& job, JobPhase phase);
  void send_progress(ServerJob& job, std::string_view phase, bool force);
  void send_state(ServerJob& job, nlohmann::ordered_json message);

  boost::asio::io_context& io_;
  const ServerConfig& config_;
  Scheduler& scheduler_;
  ClientTable& clients_;
  std::string spool_dir_;
  Results results_;
  Admission admission_;
  // The jobs, by key (a view of ServerJob::key). The indexes after it are hooks in the
  // jobs they hold: a job leaves every one of them in forget() before it goes, and they
  // are declared after jobs_ so that they go first.
  boost::unordered_flat_map<std::string_view, std::unique_ptr<ServerJob>> jobs_;
  // owner key -> the owner's jobs by id (an ended job makes way for a new one of its id)
  std::unordered_map<std::string, JobIndex<&ServerJob::by_owner_hook, JobId>> by_owner_;
  // principal -> the principal's jobs by seq
  std::unordered_map<std::string, JobIndex<&ServerJob::by_principal_hook, JobSeq>> by_principal_;
  JobIndex<&ServerJob::unfinished_hook, JobSeq> unfinished_;  // oldest first
  std::set<std::string> uploading_;  // unfinished jobs whose bytes are not all in
  template <class T>
  struct Interned {
    std::unordered_map<std::string, std::weak_ptr<const T>> table;
    std::size_t pruned_at = 0;
    // Entries no job holds any more go now and then, so that a client varying its
    // options (or a stream of one-job clients) cannot grow the table for ever.
    void prune();
  };
  Interned<std::string> option_keys_;
  Interned<Identity> owners_;
  boost::asio::steady_timer watch_timer_;
  boost::asio::steady_timer retention_timer_;
  bool watching_ = false;
  std::uint64_t next_seq_ = 0;
  bool draining_ = false;
  JobMetrics metrics_;
};

}  // namespace fastthread::server
