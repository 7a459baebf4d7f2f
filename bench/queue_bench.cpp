// A long queue in the real `fastthread serve`: how fast tiny jobs are admitted, and what
// each costs the master, with 10k, 100k and 1M of them waiting. One worker is held by a
// job whose upload never ends (with --upload-stall out of reach), so every other job
// queues behind it. Several clients start jobs (with their bytes) in a window of
// outstanding starts each, and read every message the server sends them.
//
// Usage: fastthread-queue-bench FASTTHREAD_BINARY [JOBS=1000000] [CLIENTS=4]
// Prints a Markdown table: per milestone, the admission rate over the last stretch and the
// master's RSS, and the bytes per queued job above the empty server.
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "bench_ws_client.hpp"
#include "server_process.hpp"

using namespace fastthread::bench;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FASTTHREAD_BINARY [JOBS] [CLIENTS]\n", argv[0]);
    return 2;
  }
  const std::string binary = argv[1];
  const std::uint64_t jobs = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
  const unsigned clients = argc > 3 ? static_cast<unsigned>(std::atoi(argv[3])) : 4;
  constexpr std::uint64_t kWindow = 500;  // outstanding starts per client
  const std::string big = std::to_string(jobs + 100);
  ServerProcess server(binary, {"--workers", "1", "--max-queued-jobs", big, "--max-jobs-per-client", big,
                                "--max-jobs-per-minute", std::to_string(jobs * 100 + 100), "--upload-stall",
                                "1000000000", "--min-upload-rate", "0", "--max-job-time", "0", "--max-connections",
                                "64"});
  const std::uint64_t empty_rss = proc_status_bytes(server.pid(), "VmRSS");

  boost::asio::io_context io;
  const std::string tiny = "a,b\n1,2\n";
  std::vector<std::unique_ptr<BenchClient>> conns;
  std::vector<std::uint64_t> sent(clients, 0), answered(clients, 0);
  std::uint64_t total_answered = 0, refused = 0;
  bool holder_running = false;

  std::vector<std::uint64_t> milestones;
  for (std::uint64_t m = 10000; m <= jobs; m *= 10) milestones.push_back(m);
  if (milestones.empty() || milestones.back() != jobs) milestones.push_back(jobs);
  std::size_t next_milestone = 0;
  auto stretch_start = Clock::now();
  std::uint64_t stretch_jobs = 0;
  std::printf("| queued jobs | admission (jobs/s, over the last stretch) | master RSS (MiB) | bytes per queued job |\n");
  std::printf("|---:|---:|---:|---:|\n");

  std::function<void(unsigned)> pump = [&](unsigned c) {
    const std::uint64_t share = jobs / clients + (c < jobs % clients ? 1 : 0);
    while (sent[c] < share && sent[c] - answered[c] < kWindow) {
      const std::string id = "t" + std::to_string(sent[c]++);
      conns[c]->send_json({{"op", "start"}, {"id", id}, {"name", "t.csv"}, {"size", tiny.size()}});
      std::string frame(1, static_cast<char>(id.size()));
      frame += id;
      frame += tiny;
      conns[c]->send_binary(frame);
    }
  };

  for (unsigned c = 0; c < clients; ++c) {
    conns.push_back(std::make_unique<BenchClient>(io, server.port()));
    conns[c]->listen([&, c](const nlohmann::json& m, Clock::time_point) {
      const std::string op = m.value("op", "");
      if (op == "hello") {
        if (c == 0) {
          // The job that holds the one worker: a few of its bytes, never the rest.
          conns[0]->send_json({{"op", "start"}, {"id", "holder"}, {"name", "h.csv"}, {"size", 1000}});
          conns[0]->send_binary(std::string("\x06holder", 7) + "a,b\n");
        }
        return;
      }
      if (op == "start" && m.value("id", "") == "holder") {
        holder_running = true;
        stretch_start = Clock::now();
        for (unsigned k = 0; k < clients; ++k) pump(k);
        return;
      }
      if (m.value("id", "") == "holder") return;
      if (op != "queued" && op != "error") return;
      if (op == "error" && refused++ == 0) std::fprintf(stderr, "refused: %s\n", m.dump().c_str());
      ++answered[c];
      ++total_answered;
      ++stretch_jobs;
      if (next_milestone < milestones.size() && total_answered == milestones[next_milestone]) {
        const double seconds = std::chrono::duration<double>(Clock::now() - stretch_start).count();
        const std::uint64_t rss = proc_status_bytes(server.pid(), "VmRSS");
        std::printf("| %llu | %.0f | %.1f | %.0f |\n", static_cast<unsigned long long>(total_answered),
                    static_cast<double>(stretch_jobs) / seconds, static_cast<double>(rss) / (1 << 20),
                    static_cast<double>(rss - empty_rss) / static_cast<double>(total_answered));
        std::fflush(stdout);
        ++next_milestone;
        stretch_start = Clock::now();
        stretch_jobs = 0;
      }
      if (total_answered == jobs) {
        for (auto& conn : conns) conn->close();
        io.stop();
        return;
      }
      pump(c);
    });
    conns[c]->send_json({{"op", "hello"}, {"v", 1}, {"client_id", ""}});
  }
  io.run();
  if (!holder_running) std::fprintf(stderr, "the holding job never started\n");
  std::printf("\nEmpty server: %.1f MiB RSS. Refused: %llu.\n", static_cast<double>(empty_rss) / (1 << 20),
              static_cast<unsigned long long>(refused));
  server.stop();
  return refused == 0 ? 0 : 1;
}
