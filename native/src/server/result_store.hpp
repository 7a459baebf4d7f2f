// Finished results kept across restarts: <dir>/<key>.json (the job and its summary) and
// <dir>/<key>.out (the transformed output). Only jobs that ended `done` are kept.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/server_job.hpp"

namespace fastthread::server {

class ResultStore {
 public:
  explicit ResultStore(std::string dir) : dir_(std::move(dir)) {}

  const std::string& dir() const { return dir_; }
  std::string output_path(const std::string& key) const { return dir_ + "/" + key + ".out"; }
  // Writes the record of a finished job (atomically: a temp file renamed into place).
  bool save(const ServerJob& job) const;
  // Every kept result, as finished jobs; records that cannot be read are skipped (and logged).
  std::vector<std::unique_ptr<ServerJob>> load() const;
  // Makes `to`'s output the same file as `from`'s (a hard link; a copy if that fails).
  bool share_output(const std::string& from, const std::string& to) const;
  void remove(const std::string& key) const;

 private:
  std::string dir_;
};

}  // namespace fastthread::server
