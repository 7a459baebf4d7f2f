#include "server/admission.hpp"

namespace fastthread::server {
namespace {

std::string n(std::uint64_t v) {
  return std::to_string(v);
}

template <class Map>
void decrement(Map& map, const std::string& key, typename Map::mapped_type by) {
  auto it = map.find(key);
  if (it == map.end()) return;
  it->second -= std::min(it->second, by);
  if (it->second == 0) map.erase(it);
}

}  // namespace

std::optional<Refusal> Admission::check(const Identity& owner, std::optional<std::uint64_t> declared) {
  const std::string& who = owner.accountable;
  const auto found = unfinished_.find(who);
  const std::size_t unfinished = found == unfinished_.end() ? 0 : found->second;
  if (unfinished >= config_.max_jobs_per_client) {
    return Refusal{ErrorCode::rate_limited, "'" + who + "' already has " + n(unfinished) +
                                                " unfinished jobs, the limit (--max-jobs-per-client " +
                                                n(config_.max_jobs_per_client) + ")"};
  }
  auto& starts = recent_starts_[who];
  const auto now = Clock::now();
  while (!starts.empty() && now - starts.front() >= std::chrono::minutes(1)) starts.pop_front();
  if (starts.size() >= config_.max_jobs_per_minute) {
    return Refusal{ErrorCode::rate_limited, "'" + who + "' started " + n(starts.size()) +
                                                " jobs in the last minute, the limit (--max-jobs-per-minute " +
                                                n(config_.max_jobs_per_minute) + ")"};
  }
  if (starts.empty()) recent_starts_.erase(who);
  const std::size_t waiting = count(JobPhase::waiting) + count(JobPhase::queued) + count(JobPhase::yielding);
  if (waiting >= config_.max_queued_jobs) {
    return Refusal{ErrorCode::busy, "the queue is full: " + n(waiting) + " jobs wait for a worker (--max-queued-jobs " +
                                        n(config_.max_queued_jobs) + "); try again later"};
  }
  if (declared) {
    const auto mine = spool_by_.find(who);
    const std::uint64_t held = mine == spool_by_.end() ? 0 : mine->second;
    if (held + *declared > config_.max_spool_bytes_per_principal) {
      return Refusal{ErrorCode::rate_limited, "'" + who + "' has " + n(held) + " bytes of uploads in progress; " +
                                                  n(*declared) + " more would pass the limit of " +
                                                  n(config_.max_spool_bytes_per_principal) +
                                                  " (--max-spool-bytes-per-principal)"};
    }
    if (spool_total_ + *declared > config_.max_spool_bytes) {
      return Refusal{ErrorCode::busy, "the server holds " + n(spool_total_) + " bytes of uploads in progress; " +
                                          n(*declared) + " more would pass its limit of " +
                                          n(config_.max_spool_bytes) + " (--max-spool-bytes); try again later"};
    }
  }
  return std::nullopt;
}

std::optional<Refusal> Admission::check_options(const JobOptions& o) const {
  struct Cap {
    const char* option;
    std::uint64_t asked, most;
    const char* flag;
  };
  const Cap caps[] = {
      {"limits.max_record_bytes", o.limits.max_record_bytes, config_.max_record_bytes, "--max-record-bytes"},
      {"limits.max_columns", o.limits.max_columns, config_.max_columns, "--max-columns"},
      {"limits.max_json_depth", o.limits.max_json_depth, config_.max_json_depth, "--max-json-depth"},
      {"limits.max_decompressed_bytes", o.limits.max_decompressed_bytes, config_.max_decompressed_bytes,
       "--max-decompressed-bytes"},
      {"sniff_bytes", o.sniff_bytes, config_.max_sniff_bytes, "--max-sniff-bytes"},
      {"infer_rows", o.infer_rows, config_.max_infer_rows, "--max-infer-rows"},
      {"keep_errors", o.keep_errors, config_.max_keep_errors, "--max-keep-errors"},
  };
  for (const Cap& c : caps) {
    if (c.asked > c.most) {
      return Refusal{ErrorCode::bad_request, std::string("option ") + c.option + " is " + n(c.asked) +
                                                 ", more than this server allows: " + n(c.most) + " (" + c.flag + ")"};
    }
  }
  return std::nullopt;
}

void Admission::admitted(const ServerJob& job) {
  ++by_phase_[static_cast<std::size_t>(job.phase)];
  if (waits(job.phase)) ++waiting_by_priority_[job.priority + 100];
  if (!is_final(job.phase)) {
    ++unfinished_[job.owner->accountable];
    recent_starts_[job.owner->accountable].push_back(Clock::now());
  }
}

void Admission::moved(const ServerJob& job, JobPhase from, JobPhase to) {
  --by_phase_[static_cast<std::size_t>(from)];
  ++by_phase_[static_cast<std::size_t>(to)];
  if (waits(from)) --waiting_by_priority_[job.priority + 100];
  if (waits(to)) ++waiting_by_priority_[job.priority + 100];
  if (!is_final(from) && is_final(to)) decrement(unfinished_, job.owner->accountable, 1);
}

void Admission::forgotten(const ServerJob& job) {
  --by_phase_[static_cast<std::size_t>(job.phase)];
  if (waits(job.phase)) --waiting_by_priority_[job.priority + 100];
  if (!is_final(job.phase)) decrement(unfinished_, job.owner->accountable, 1);
}

std::size_t Admission::ahead(int priority) const {
  std::size_t sum = 0;
  for (int p = priority; p <= 100; ++p) sum += waiting_by_priority_[static_cast<std::size_t>(p + 100)];
  return sum;
}

std::optional<Refusal> Admission::reserve(ServerJob& job, std::uint64_t bytes) {
  if (bytes <= job.spool_reserved) return std::nullopt;
  const std::uint64_t more = bytes - job.spool_reserved;
  const std::string& who = job.owner->accountable;
  const std::uint64_t held = spool_by_.count(who) ? spool_by_.at(who) : 0;
  if (held + more > config_.max_spool_bytes_per_principal) {
    return Refusal{ErrorCode::rate_limited, "'" + who + "' has " + n(held) +
                                                " bytes of uploads in progress, the limit (--max-spool-bytes-per-principal " +
                                                n(config_.max_spool_bytes_per_principal) + ")"};
  }
  if (spool_total_ + more > config_.max_spool_bytes) {
    return Refusal{ErrorCode::busy, "the server holds " + n(spool_total_) +
                                        " bytes of uploads in progress, its limit (--max-spool-bytes " +
                                        n(config_.max_spool_bytes) + ")"};
  }
  spool_by_[who] += more;
  spool_total_ += more;
  job.spool_reserved = bytes;
  return std::nullopt;
}

void Admission::release(ServerJob& job) {
  decrement(spool_by_, job.owner->accountable, job.spool_reserved);
  spool_total_ -= std::min(spool_total_, job.spool_reserved);
  job.spool_reserved = 0;
}

}  // namespace fastthread::server
