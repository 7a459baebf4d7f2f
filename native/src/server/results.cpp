#include "server/results.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "server/json_log.hpp"

namespace fastthread::server {
namespace fs = std::filesystem;

std::vector<std::unique_ptr<ServerJob>> Results::load() {
  auto loaded = store_.load();
  std::set<std::string> keys;
  std::vector<std::unique_ptr<ServerJob>> kept;
  for (auto& job : loaded) {
    std::error_code ec;
    if (!job->output_url().empty() && !fs::exists(store_.output_path(job->key), ec)) {
      log_event("result_dropped", {{"job", job->key}, {"reason", "its output file is gone"}});
      store_.remove(job->key);
      continue;
    }
    keys.insert(job->key);
    kept.push_back(std::move(job));
  }
  // Outputs with no record: jobs that were running when an earlier master was killed.
  std::uint64_t orphans = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(store_.dir(), ec)) {
    const fs::path path = entry.path();
    if (path.extension() == ".out" && !keys.count(path.stem().string())) {
      fs::remove(path, ec);
      ++orphans;
    }
  }
  if (orphans > 0) log_event("results_cleaned", {{"half_written_outputs_removed", orphans}});
  std::sort(kept.begin(), kept.end(), [](auto& a, auto& b) { return a->ended_unix < b->ended_unix; });
  return kept;
}

void Results::count(const ServerJob& job) {
  end_of_[job.key] = {job.ended_unix, job.seq};
  by_end_[{job.ended_unix, job.seq}] = job.key;
  if (job.phase != JobPhase::done || !job.result) return;
  if (!job.result->cache_key.empty()) cache_[job.result->cache_key] = job.key;
  struct stat st {};
  std::uint64_t record = 0;
  if (::stat((store_.dir() + "/" + job.key + ".json").c_str(), &st) == 0) record = static_cast<std::uint64_t>(st.st_size);
  bytes_ += record;
  if (::stat(store_.output_path(job.key).c_str(), &st) == 0) {
    const auto inode = static_cast<std::uint64_t>(st.st_ino);
    auto& [size, users] = inodes_[inode];
    if (users++ == 0) {
      // The summary's count: the worker may still be closing the file as its finish arrives.
      size = std::max(static_cast<std::uint64_t>(st.st_size), job.result->output_bytes);
      bytes_ += size;
    }
    inode_of_[job.key] = inode;
  }
  record_bytes_[job.key] = record;
}

void Results::ended(ServerJob& job) {
  if (job.phase == JobPhase::done && !store_.save(job)) log_event("result_not_saved", {{"job", job.key}});
  count(job);
}

const std::string* Results::cached(const std::string& cache_key) const {
  auto it = cache_.find(cache_key);
  return it == cache_.end() ? nullptr : &it->second;
}

void Results::remove(const ServerJob& job) {
  if (job.result) {
    if (auto it = cache_.find(job.result->cache_key); it != cache_.end() && it->second == job.key) cache_.erase(it);
  }
  if (auto it = end_of_.find(job.key); it != end_of_.end()) {
    by_end_.erase(it->second);
    end_of_.erase(it);
  }
  if (auto it = record_bytes_.find(job.key); it != record_bytes_.end()) {
    bytes_ -= std::min(bytes_, it->second);
    record_bytes_.erase(it);
  }
  if (auto it = inode_of_.find(job.key); it != inode_of_.end()) {
    auto in = inodes_.find(it->second);
    if (in != inodes_.end() && --in->second.second == 0) {
      bytes_ -= std::min(bytes_, in->second.first);
      inodes_.erase(in);
    }
    inode_of_.erase(it);
  }
  store_.remove(job.key);
}

double Results::next_expiry() const {
  if (by_end_.empty() || config_.result_ttl.count() == 0) return 0;
  return by_end_.begin()->first.first + static_cast<double>(config_.result_ttl.count()) / 1000.0;
}

std::vector<std::string> Results::expired(double now_unix) {
  std::vector<std::string> out;
  const double ttl_s = static_cast<double>(config_.result_ttl.count()) / 1000.0;
  std::uint64_t bytes = bytes_;
  for (const auto& [when, key] : by_end_) {
    const bool old = config_.result_ttl.count() > 0 && when.first + ttl_s <= now_unix;
    const bool over = config_.max_results_bytes > 0 && bytes > config_.max_results_bytes;
    if (!old && !over) break;
    out.push_back(key);
    // What removing it will free, so the walk stops once the folder fits.
    if (auto r = record_bytes_.find(key); r != record_bytes_.end()) bytes -= std::min(bytes, r->second);
    if (auto i = inode_of_.find(key); i != inode_of_.end()) {
      auto in = inodes_.find(i->second);
      if (in != inodes_.end() && in->second.second == 1) bytes -= std::min(bytes, in->second.first);
    }
  }
  return out;
}

}  // namespace fastthread::server
