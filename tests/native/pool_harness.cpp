#include "native/pool_harness.hpp"

#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fastthread::testing {

PoolHarness::PoolHarness(pool::PoolConfig config) {
  pool::PoolEvents events;
  events.started = [this](const std::string& id, unsigned, int pid) {
    started_pid[id] = pid;
    event_log.push_back("started " + id);
  };
  events.progress = [this](const std::string& id, const pool::ProgressMessage& p) {
    progress[id].push_back(p);
  };
  events.finished = [this](const std::string& id, const pool::JobOutcome& outcome) {
    outcomes[id] = outcome;
    progress_at_finish[id] = progress[id].size();
    event_log.push_back("finished " + id);
    finish_order.push_back(id);
    finished_at[id] = std::chrono::steady_clock::now();
  };
  pool = std::make_unique<pool::Pool>(io, std::move(config), std::move(events));
}

PoolHarness::~PoolHarness() {
  if (pool && !stopped) shut_down(false);
  pool.reset();
}

bool PoolHarness::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_one_for(10ms);
  }
  return true;
}

bool PoolHarness::wait_all_idle(std::chrono::milliseconds limit) {
  return run_until(
      [&] {
        for (const auto& w : pool->stats().per_worker) {
          if (w.state != pool::WorkerState::idle) return false;
        }
        return true;
      },
      limit);
}

pool::PoolJob PoolHarness::job(const std::string& id, const std::string& content, std::uint64_t available,
                               bool complete, int priority) {
  dir.write(id + ".in", content);
  pool::PoolJob j;
  j.id = id;
  j.name = id + ".csv";
  j.input_path = dir.path(id + ".in");
  j.output_path = dir.path(id + ".out");
  j.available = available;
  j.complete = complete;
  j.priority = priority;
  return j;
}

bool PoolHarness::shut_down(bool drain, std::chrono::milliseconds drain_timeout) {
  bool done = false;
  pool->shutdown(drain, drain_timeout, [&] { done = true; });
  stopped = run_until([&] { return done; }, drain_timeout + 10s);
  return stopped;
}

int PoolHarness::pid_of(unsigned slot) const {
  return pool->stats().per_worker.at(slot).pid;
}

std::vector<char*> real_argv() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // glibc's program_invocation_name is argv[0] itself, the start of the block.
  char* p = program_invocation_name;
  std::vector<char*> argv;
  for (std::size_t at = 0; at < cmdline.size(); at += std::strlen(p + at) + 1) argv.push_back(p + at);
  return argv;
}

bool no_children_left() {
  return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

std::string sample_csv(int rows) {
  std::string csv = "id,name,price,when,flag\n";
  for (int i = 0; i < rows; ++i) {
    if (i % 997 == 500) {
      csv += "bad,row\n";  // ragged: counted as an error
      continue;
    }
    csv += std::to_string(i) + ",\"item " + std::to_string(i % 37) + ", \"\"quoted\"\"\"," +
           std::to_string(i * 1.25) + ",2024-01-" + std::to_string(10 + i % 19) + "," +
           (i % 3 == 0 ? "true" : "false") + "\n";
  }
  return csv;
}

}  // namespace fastthread::testing
