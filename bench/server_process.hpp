// `fastthread serve` as a child process for the server benchmark: started on
// 127.0.0.1 --port 0 with its own temporary data dir, always stopped (and the dir
// removed) by the destructor. Modelled on tests/native/server_harness, but the binary is
// a run-time path, not a build-time one.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace fastthread::bench {

class ServerProcess {
 public:
  ServerProcess(const std::string& binary, const std::vector<std::string>& args);
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const;  // its stderr so far
  // SIGTERM, then SIGKILL if it has not exited within 20 s.
  void stop();

 private:
  std::string dir_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  bool exited_ = false;
};

// A field of /proc/<pid>/status in bytes (VmRSS, VmHWM, ...); 0 when it cannot be read.
std::uint64_t proc_status_bytes(pid_t pid, const std::string& field);

// Runs a program, waits, returns its exit code (128 + signal if killed); stdout and
// stderr go to `log_path` (or are inherited when it is empty).
int run_program(const std::vector<std::string>& argv, const std::string& log_path = "");

}  // namespace fastthread::bench
