#include "server_scenarios.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "server_process.hpp"

namespace fastthread::bench {
namespace {
namespace net = boost::asio;
using nlohmann::json;

double seconds(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

// What the host told one client about each of its jobs.
struct JobEvents {
  std::optional<Clock::time_point> upload_done, started, parsing, ended, sent;
  std::string end_op;
  json end;
};

struct Tracker {
  std::map<std::string, JobEvents> jobs;
  std::uint64_t worker_rss_peak = 0;
  int hellos = 0;

  void on(const json& m, Clock::time_point t) {
    const std::string op = m.value("op", "");
    const std::string id = m.value("id", "");
    if (op == "hello") {
      ++hellos;
    } else if (op == "pool") {
      for (const auto& w : m.value("per_worker", json::array())) {
        worker_rss_peak = std::max(worker_rss_peak, w.value("rss_bytes", std::uint64_t{0}));
      }
    } else if (op == "start") {
      jobs[id].started = t;
    } else if (op == "progress") {
      const auto bytes = m.value("bytes", std::uint64_t{0});
      const bool complete = m["total"].is_number() && bytes == m["total"].get<std::uint64_t>();
      if (m.value("phase", "") == "upload" && complete && !jobs[id].upload_done) jobs[id].upload_done = t;
      if (m.value("phase", "") == "parse" && bytes > 0) jobs[id].parsing = t;
    } else if (op == "finish" || op == "error" || op == "cancel") {
      if (id.empty()) {
        std::fprintf(stderr, "server-bench: the host refused a message: %s\n", m.dump().c_str());
        return;
      }
      auto& job = jobs[id];
      if (job.ended) return;
      job.ended = t;
      job.end_op = op;
      job.end = m;
    }
  }
  BenchClient::Handler handler() {
    return [this](const json& m, Clock::time_point t) { on(m, t); };
  }
};

// Runs the loop until `done()` (checked after every handler) or the timeout.
bool run_until(net::io_context& io, const std::function<bool()>& done,
               std::chrono::seconds timeout = std::chrono::seconds(600)) {
  const auto deadline = Clock::now() + timeout;
  while (!done()) {
    if (Clock::now() >= deadline) return false;
    io.run_one_for(std::chrono::milliseconds(10));
  }
  return true;
}

void hello(net::io_context& io, BenchClient& client, Tracker& tracker) {
  const int before = tracker.hellos;
  client.send_json({{"op", "hello"}, {"v", 1}, {"client_id", ""}});
  if (!run_until(
          io, [&] { return tracker.hellos > before; }, std::chrono::seconds(20))) {
    throw std::runtime_error("no hello from the server");
  }
}

json start_message(const std::string& id, std::uint64_t size, const std::string& to) {
  return {{"op", "start"}, {"id", id}, {"name", id + ".csv"}, {"size", size}, {"options", {{"to", to}}}};
}

// Samples a process's VmRSS every 10 ms and keeps the largest.
class RssSampler {
 public:
  explicit RssSampler(pid_t pid)
      : thread_([this, pid] {
          while (!stop_) {
            peak_ = std::max<std::uint64_t>(peak_, proc_status_bytes(pid, "VmRSS"));
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
        }) {}
  ~RssSampler() { finish(); }
  std::uint64_t finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return peak_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> peak_{0};
  std::thread thread_;
};

std::string describe_end(const JobEvents& job) {
  if (!job.ended) return "no end in time";
  return job.end_op + ": " + job.end.dump();
}

}  // namespace

JobResult end_to_end(const BenchSetup& setup, const std::string& to) {
  ServerProcess server(setup.binary, {"--workers", "2"});
  net::io_context io;
  BenchClient client(io, server.port());
  Tracker tracker;
  client.listen(tracker.handler());
  hello(io, client, tracker);
  JobResult result;
  RssSampler sampler(server.pid());
  const auto t0 = Clock::now();
  client.send_json(start_message("big", setup.size, to));
  client.upload("big", setup.fd, 0, setup.size);
  auto& job = tracker.jobs["big"];
  run_until(io, [&] { return job.ended.has_value() || client.closed(); });
  result.master_rss_peak = sampler.finish();
  result.master_hwm = proc_status_bytes(server.pid(), "VmHWM");
  result.worker_rss_peak = tracker.worker_rss_peak;
  result.ok = job.end_op == "finish";
  if (!result.ok) result.error = describe_end(job);
  if (job.upload_done) result.upload_s = seconds(t0, *job.upload_done);
  if (job.ended) result.total_s = seconds(t0, *job.ended);
  if (result.ok) result.process_ms = job.end["timings"].value("process_ms", 0.0);
  return result;
}

JobResult upload_alone(const BenchSetup& setup) {
  ServerProcess server(setup.binary, {"--workers", "1"});
  net::io_context io;
  BenchClient client(io, server.port());
  Tracker tracker;
  client.listen(tracker.handler());
  hello(io, client, tracker);
  JobResult result;
  // The holder takes the only worker and waits there for bytes that never come.
  client.send_json(start_message("hold", 1024, "none"));
  client.upload("hold", setup.fd, 0, 1);
  if (!run_until(
          io, [&] { return tracker.jobs["hold"].started.has_value(); }, std::chrono::seconds(20))) {
    result.error = "the holding job never started";
    return result;
  }
  RssSampler sampler(server.pid());
  const auto t0 = Clock::now();
  client.send_json(start_message("big", setup.size, "none"));
  client.upload("big", setup.fd, 0, setup.size);
  auto& job = tracker.jobs["big"];
  run_until(io, [&] { return job.upload_done || job.ended || client.closed(); });
  result.master_rss_peak = sampler.finish();
  result.master_hwm = proc_status_bytes(server.pid(), "VmHWM");
  result.ok = job.upload_done && !job.started && !job.ended;
  if (job.upload_done) result.upload_s = seconds(t0, *job.upload_done);
  if (!result.ok) result.error = job.started ? "the job started before its upload ended" : describe_end(job);
  client.send_json({{"op", "cancel"}, {"id", "big"}});
  client.send_json({{"op", "cancel"}, {"id", "hold"}});
  run_until(
      io, [&] { return tracker.jobs["big"].ended && tracker.jobs["hold"].ended; }, std::chrono::seconds(20));
  return result;
}

double parse_alone(const BenchSetup& setup, const std::string& to) {
  const std::string out = "/tmp/fastthread-server-bench-parse-" + std::to_string(::getpid()) + "." + to;
  std::vector<std::string> argv = {setup.binary, "parse", setup.file, "--to", to, "--no-progress"};
  if (to != "none") argv.insert(argv.end(), {"-o", out});
  const auto t0 = Clock::now();
  const int rc = run_program(argv, "/dev/null");
  const double s = seconds(t0, Clock::now());
  std::error_code ignored;
  std::filesystem::remove(out, ignored);
  return rc == 0 ? s : -1;
}

ScaleResult scaling(const BenchSetup& setup) {
  ScaleResult result;
  for (int workers : {1, 2}) {
    ServerProcess server(setup.binary, {"--workers", std::to_string(workers)});
    net::io_context io;
    Tracker tracker;
    std::vector<std::unique_ptr<BenchClient>> clients;
    for (int k = 0; k < workers; ++k) {
      clients.push_back(std::make_unique<BenchClient>(io, server.port()));
      clients.back()->listen(tracker.handler());
      hello(io, *clients.back(), tracker);
    }
    for (int r = 0; r < setup.scale_repeats; ++r) {
      std::vector<std::string> ids;
      const auto t0 = Clock::now();
      for (int k = 0; k < workers; ++k) {
        ids.push_back(std::string(1, 's').append(std::to_string(r)).append("-").append(std::to_string(k)));
        clients[k]->send_json(start_message(ids.back(), setup.scale_size, "none"));
        clients[k]->upload(ids.back(), setup.fd, 0, setup.scale_size);
      }
      auto all_ended = [&] {
        for (const auto& id : ids)
          if (!tracker.jobs[id].ended) return false;
        return true;
      };
      run_until(io, all_ended);
      Clock::time_point last = t0;
      for (const auto& id : ids) {
        const auto& job = tracker.jobs[id];
        if (job.end_op != "finish") throw std::runtime_error("scaling job " + id + ": " + describe_end(job));
        last = std::max(last, *job.ended);
      }
      (workers == 1 ? result.one_s : result.two_s).push_back(seconds(t0, last));
    }
  }
  return result;
}

CancelResult cancel_latency(const BenchSetup& setup, bool uploaded) {
  ServerProcess server(setup.binary, {"--workers", "2", "--max-jobs-per-minute", "100000"});
  net::io_context io;
  BenchClient client(io, server.port());
  Tracker tracker;
  client.listen(tracker.handler());
  hello(io, client, tracker);
  CancelResult result;
  const std::uint64_t fed =
      uploaded ? setup.cancel_size : std::min<std::uint64_t>(4 << 20, setup.cancel_size);
  for (int i = 0; i < setup.cancel_jobs; ++i) {
    const std::string id = std::string(1, uploaded ? 'u' : 'p').append(std::to_string(i));
    auto& job = tracker.jobs[id];
    client.send_json(start_message(id, setup.cancel_size, "ndjson"));
    client.upload(id, setup.fd, 0, fed, [&job](Clock::time_point t) { job.sent = t; });
    // Running on a worker and parsing (and, when uploaded, all bytes at the host).
    auto ready = [&] {
      return job.ended || (job.sent && job.started && job.parsing && (!uploaded || job.upload_done));
    };
    if (!run_until(io, ready, std::chrono::seconds(60)))
      throw std::runtime_error("cancel job " + id + " never ran");
    if (job.ended) {
      ++result.ended_before;
      continue;
    }
    const auto t0 = Clock::now();
    client.send_json({{"op", "cancel"}, {"id", id}});
    if (!run_until(
            io, [&] { return job.ended.has_value(); }, std::chrono::seconds(60))) {
      throw std::runtime_error("no answer to the cancel of " + id);
    }
    if (job.end_op == "cancel") {
      result.ms.push_back(seconds(t0, *job.ended) * 1000);
    } else {
      ++result.ended_before;
    }
  }
  return result;
}

IdleMemory idle_memory(const BenchSetup& setup) {
  // Every client comes from 127.0.0.1: no cap per address.
  ServerProcess server(setup.binary, {"--workers", "2", "--max-connections-per-address", "0"});
  IdleMemory result;
  std::this_thread::sleep_for(std::chrono::seconds(1));
  result.idle_rss = proc_status_bytes(server.pid(), "VmRSS");
  net::io_context io;
  Tracker tracker;
  std::vector<std::unique_ptr<BenchClient>> clients;
  for (int k = 0; k < setup.idle_clients; ++k) {
    clients.push_back(std::make_unique<BenchClient>(io, server.port()));
    clients.back()->listen(tracker.handler());
    clients.back()->send_json({{"op", "hello"}, {"v", 1}, {"client_id", ""}});
  }
  run_until(
      io, [&] { return tracker.hellos == setup.idle_clients; }, std::chrono::seconds(60));
  result.clients = tracker.hellos;
  // Let the connections settle (pool messages, buffers) before reading.
  run_until(
      io, [] { return false; }, std::chrono::seconds(1));
  result.clients_rss = proc_status_bytes(server.pid(), "VmRSS");
  return result;
}

}  // namespace fastthread::bench
