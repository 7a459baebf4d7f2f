// What the server keeps of finished jobs, and for how long: the result files (through
// ResultStore), the cache that answers a known file at once (per principal, sha256 and
// options), and retention. A finished job expires --result-ttl after its end; the results
// folder is held under --max-results-bytes, oldest first. Both walk the jobs in the order
// they ended, so each check costs only what it removes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/config.hpp"
#include "server/result_store.hpp"
#include "server/server_job.hpp"

namespace fastthread::server {

class Results {
 public:
  Results(const ServerConfig& config, std::string dir) : config_(config), store_(std::move(dir)) {}

  ResultStore& store() { return store_; }
  const ResultStore& store() const { return store_; }

  // The kept results of earlier runs, oldest first, after removing what a killed master
  // left behind (outputs without a record, records of outputs that are gone).
  std::vector<std::unique_ptr<ServerJob>> load();

  // A finished job from now on: saved (when done) and counted for retention.
  void ended(ServerJob& job);
  // A result load() gave back, counted for retention.
  void loaded(const ServerJob& job) { count(job); }
  // When the oldest result expires (unix seconds); 0 when none will.
  double next_expiry() const;
  // A stored result of `principal` for these bytes and options; nullptr if none.
  const std::string* cached(const std::string& cache_key) const;
  // Forgets the job's result and deletes its files.
  void remove(const ServerJob& job);

  // Jobs to forget now: past their time to live, or the oldest while the folder is over its
  // size. The caller forgets each one (and calls remove()).
  std::vector<std::string> expired(double now_unix);
  std::uint64_t bytes() const { return bytes_; }

 private:
  void count(const ServerJob& job);

  const ServerConfig& config_;
  ResultStore store_;
  std::unordered_map<std::string, std::string> cache_;  // cache key -> job key
  std::map<std::pair<double, std::uint64_t>, std::string> by_end_;  // (ended, seq) -> key
  std::unordered_map<std::string, std::pair<double, std::uint64_t>> end_of_;
  // Outputs are shared by hard links between a result and its cache answers: counted once
  // per file, by inode.
  std::unordered_map<std::uint64_t, std::pair<std::uint64_t, unsigned>> inodes_;  // inode -> bytes, users
  std::unordered_map<std::string, std::uint64_t> inode_of_;
  std::unordered_map<std::string, std::uint64_t> record_bytes_;  // key -> its record's size
  std::uint64_t bytes_ = 0;
};

}  // namespace fastthread::server
