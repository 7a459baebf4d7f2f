// Tiny jobs per second through the worker pool: each a real job (a two-row CSV parsed,
// profiled and summarised by a forked worker) with its start, progress and finish
// messages. Compare with bench/dispatch_python.py in the same run (bench/dispatch.sh).
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "pool/pool.hpp"

int main(int argc, char** argv) {
  const unsigned workers = argc > 1 ? static_cast<unsigned>(std::atoi(argv[1])) : 2;
  const int tasks = argc > 2 ? std::atoi(argv[2]) : 20000;
  char dir_template[] = "/tmp/fastthread-dispatch-XXXXXX";
  const std::string dir = ::mkdtemp(dir_template);
  const std::string input = dir + "/tiny.csv";
  const std::string content = "a,b\n1,x\n2,y\n";
  std::ofstream(input) << content;

  boost::asio::io_context io;
  int started = 0, progressed = 0, finished = 0, failed = 0;
  std::chrono::steady_clock::time_point begin, end;
  fastthread::pool::PoolConfig config;
  config.workers = workers;
  config.argc = argc;
  config.argv = argv;
  fastthread::pool::PoolEvents events;
  events.started = [&](const std::string&, unsigned, int) { ++started; };
  events.progress = [&](const std::string&, const fastthread::pool::ProgressMessage&) { ++progressed; };
  events.finished = [&](const std::string&, const fastthread::pool::JobOutcome& outcome) {
    if (outcome.state != fastthread::JobState::done && failed++ == 0 && outcome.error) {
      std::fprintf(stderr, "first failure: %s: %s\n", std::string(fastthread::to_string(outcome.error->code)).c_str(), outcome.error->message.c_str());
    }
    if (++finished == tasks) {
      end = std::chrono::steady_clock::now();
      io.stop();
    }
  };
  fastthread::pool::Pool pool(io, config, events);
  pool.start();
  // Time the dispatch, not the forks: wait until every worker said it is ready.
  while (true) {
    io.run_for(std::chrono::milliseconds(10));
    unsigned idle = 0;
    for (const auto& w : pool.stats().per_worker) idle += w.state == fastthread::pool::WorkerState::idle;
    if (idle == workers) break;
  }
  io.restart();
  begin = std::chrono::steady_clock::now();
  for (int i = 0; i < tasks; ++i) {
    fastthread::pool::PoolJob job;
    job.id = "j" + std::to_string(i);
    job.name = "tiny.csv";
    job.input_path = input;
    job.output_path = "/dev/null";
    job.options = {{"to", "ndjson"}};
    job.available = content.size();
    job.complete = true;
    pool.submit(std::move(job));
  }
  io.run();
  const double seconds = std::chrono::duration<double>(end - begin).count();
  // Where the time went: each worker's jobs and CPU seconds (the master's is the rest).
  std::string per_worker;
  for (const auto& w : pool.stats().per_worker) {
    per_worker += (per_worker.empty() ? "" : ", ") + std::string("[") + std::to_string(w.jobs_done) + ", " +
                  std::to_string(w.cpu_seconds) + "]";
  }
  std::printf(
      "{\"tool\": \"fastthread pool\", \"workers\": %u, \"tasks\": %d, \"seconds\": %.3f, \"per_second\": %.0f, "
      "\"start_messages\": %d, \"progress_messages\": %d, \"failed\": %d, \"jobs_and_cpu_per_worker\": [%s]}\n",
      workers, tasks, seconds, tasks / seconds, started, progressed, failed, per_worker.c_str());
  bool drained = false;
  io.restart();
  pool.shutdown(false, std::chrono::milliseconds(0), [&] { drained = true; });
  while (!drained) io.run_one();
  std::remove(input.c_str());
  ::rmdir(dir.c_str());
  return failed == 0 ? 0 : 1;
}
