// Drives a real Pool (real forks, real files) on a private io_context (test helper).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "native/process.hpp"
#include "pool/pool.hpp"

namespace fastthread::testing {

using namespace std::chrono_literals;

class PoolHarness {
 public:
  explicit PoolHarness(pool::PoolConfig config);
  // Stops the pool at once if a test has not, and destroys it.
  ~PoolHarness();

  // Runs the loop until `done` holds or `limit` passes; false on time-out.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s);
  bool wait_finished(const std::string& id, std::chrono::milliseconds limit = 10s) {
    return run_until([&] { return finished(id); }, limit);
  }
  // Every slot has a process that is idle.
  bool wait_all_idle(std::chrono::milliseconds limit = 10s);
  bool finished(const std::string& id) const { return outcomes.count(id) != 0; }

  // Writes `content` as the input of job `id`; the job announces `available` bytes of it.
  pool::PoolJob job(const std::string& id, const std::string& content, std::uint64_t available, bool complete,
                    int priority = 0);
  pool::PoolJob job(const std::string& id, const std::string& content) {
    return job(id, content, content.size(), true);
  }
  std::string output(const std::string& id) const { return dir.read(id + ".out"); }

  // Immediate or draining shutdown, run to its end; true when `done` was called.
  bool shut_down(bool drain, std::chrono::milliseconds drain_timeout = 5s);
  // The pid of the worker in `slot`, 0 if none.
  int pid_of(unsigned slot) const;

  TempDir dir;
  boost::asio::io_context io;
  std::unique_ptr<pool::Pool> pool;
  std::map<std::string, pool::JobOutcome> outcomes;
  std::vector<std::string> finish_order;
  std::map<std::string, int> started_pid;
  std::map<std::string, std::vector<pool::ProgressMessage>> progress;
  std::map<std::string, std::size_t> progress_at_finish;  // progress events before `finished`
  std::vector<std::string> event_log;                     // "started <id>", "finished <id>"
  std::map<std::string, std::chrono::steady_clock::time_point> finished_at;
  bool stopped = false;
};

// The test process's real argv block (what /proc/self/cmdline shows), for process titles.
std::vector<char*> real_argv();

// True when the process has no child left (waitpid says ECHILD).
bool no_children_left();

// A CSV with `rows` rows of mixed types and a few bad rows.
std::string sample_csv(int rows);

}  // namespace fastthread::testing
