// Runs the real `fastthread` binary as a child process (test helper).
#pragma once

#include <string>
#include <vector>

namespace fastthread::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal when killed by one
  std::string out;
  std::string err;
};

// Runs FASTTHREAD_BINARY with `args`, stdin from `stdin_path` (or /dev/null), and waits.
ProcessResult run_fastthread(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null");

// A fresh empty folder under the system temp folder, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const { return dir_ + "/" + name; }
  void write(const std::string& name, const std::string& content) const;
  std::string read(const std::string& name) const;

 private:
  std::string dir_;
};

}  // namespace fastthread::testing
