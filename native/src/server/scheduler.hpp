// The server's one door to the worker pool (native/src/pool): turns the pool's types into
// the protocol's, so nothing else in the server depends on the pool's details.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fastthread/protocol.hpp"
#include "server/config.hpp"

namespace fastthread::server {

struct WorkerOutcome {
  std::string state;               // done, failed, cancelled
  nlohmann::ordered_json summary;  // null unless the job ran to a summary
  std::optional<JobError> error;   // nullopt when done
  std::optional<unsigned> worker;
  double queued_ms = 0;
  double process_ms = 0;
};

struct SchedulerEvents {
  std::function<void(const std::string& key, unsigned worker, int pid)> started;
  std::function<void(const std::string& key, std::uint64_t bytes, std::uint64_t rows)> progress;
  std::function<void(const std::string& key, const WorkerOutcome& outcome)> finished;
  std::function<void()> changed;
};

struct ScheduledJob {
  std::string key;  // unique among the server's jobs
  std::string name;
  std::string input_path;
  std::string output_path;
  nlohmann::ordered_json options;
  std::uint64_t available = 0;
  bool complete = false;
  int priority = 0;
};

class Scheduler {
 public:
  Scheduler(boost::asio::io_context& io, const ServerConfig& config, int argc, char** argv,
            SchedulerEvents events);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void start();  // forks the workers: before any thread exists
  bool submit(const ScheduledJob& job);
  void data_available(const std::string& key, std::uint64_t available, bool complete);
  bool cancel(const std::string& key);
  protocol::PoolStatus status() const;
  unsigned configured_workers() const { return workers_; }
  void shutdown(bool drain, std::chrono::milliseconds drain_timeout, std::function<void()> done);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned workers_;
};

}  // namespace fastthread::server
