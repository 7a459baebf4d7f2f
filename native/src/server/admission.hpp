// Whether a new job may come in, and what the jobs in progress hold: the limits per
// principal (or address, without tokens), the queue, the spool quotas and the server's
// maxima for the parser limits a client may set. Everything it answers comes from counts
// kept as jobs move, so it costs the same with ten jobs or a million.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>

#include "fastthread/job.hpp"
#include "server/config.hpp"
#include "server/identity.hpp"
#include "server/refusal.hpp"
#include "server/server_job.hpp"

namespace fastthread::server {

class Admission {
 public:
  explicit Admission(const ServerConfig& config) : config_(config) {}

  // The limits a new job of `owner` must pass, in the order a person would want to hear
  // them. `declared`: the size its start announced, if any.
  std::optional<Refusal> check(const Identity& owner, std::optional<std::uint64_t> declared);
  // The parser limits a client asked for, against the server's maxima.
  std::optional<Refusal> check_options(const JobOptions& options) const;

  // The job is in (counted from here on), moved from one phase to another, or forgotten.
  void admitted(const ServerJob& job);
  void moved(const ServerJob& job, JobPhase from, JobPhase to);
  void forgotten(const ServerJob& job);

  std::size_t count(JobPhase phase) const { return by_phase_[static_cast<std::size_t>(phase)]; }
  // Jobs that wait (for bytes or a worker) at `priority` or above: a new job's position.
  std::size_t ahead(int priority) const;

  // The spool bytes `job` will hold: its declared size at start, or its bytes as they come.
  // Refused when a quota would be passed; the job then holds what it held.
  std::optional<Refusal> reserve(ServerJob& job, std::uint64_t bytes);
  void release(ServerJob& job);
  std::uint64_t spool_bytes() const { return spool_total_; }

 private:
  static bool waits(JobPhase p) { return p == JobPhase::waiting || p == JobPhase::queued || p == JobPhase::yielding; }

  const ServerConfig& config_;
  std::array<std::size_t, kJobPhases> by_phase_{};
  std::array<std::size_t, 201> waiting_by_priority_{};  // -100..100
  std::unordered_map<std::string, std::size_t> unfinished_;                         // accountable -> jobs
  std::unordered_map<std::string, std::deque<Clock::time_point>> recent_starts_;   // accountable -> starts
  std::unordered_map<std::string, std::uint64_t> spool_by_;                        // accountable -> bytes
  std::uint64_t spool_total_ = 0;
};

}  // namespace fastthread::server
