// The pool doing its job: order, results, uploads in progress, cancels, titles.
#include "pool/pool.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <iterator>

#include "fastthread/job.hpp"
#include "native/pool_harness.hpp"

namespace fastthread::testing {
namespace {

using pool::JobOutcome;
using pool::PoolConfig;

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override { text.append(bytes); }
  std::string text;
};

// What fastthread::Job gives in this process for the same input and options.
Result run_in_process(const std::string& input, nlohmann::json options, const std::string& name,
                      std::string& output) {
  options["name"] = name;
  std::string error;
  auto parsed = JobOptions::from_json(options, error);
  EXPECT_TRUE(parsed) << error;
  StringSink sink;
  Job job(std::move(*parsed), sink);
  job.feed(input);
  Result result = job.finish();
  output = std::move(sink.text);
  return result;
}

std::string without_timings(pool::Json summary) {
  summary.erase("timings");
  return summary.dump();
}

PoolConfig config(unsigned workers) {
  PoolConfig c;
  c.workers = workers;
  c.cancel_grace = 2000ms;
  return c;
}

void expect_clean_end(PoolHarness& h) {
  EXPECT_TRUE(h.shut_down(false));
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

TEST(PoolTest, RunsQueuedJobsByPriorityThenArrival) {
  PoolHarness h(config(1));
  h.pool->start();
  const std::string csv = sample_csv(200);
  // The first job waits for the rest of its upload, so everything after it queues.
  ASSERT_TRUE(h.pool->submit(h.job("first", csv, csv.size() / 2, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("first") != 0; }));
  ASSERT_TRUE(h.pool->submit(h.job("low1", csv, csv.size(), true, 0)));
  ASSERT_TRUE(h.pool->submit(h.job("high1", csv, csv.size(), true, 5)));
  ASSERT_TRUE(h.pool->submit(h.job("high2", csv, csv.size(), true, 5)));
  ASSERT_TRUE(h.pool->submit(h.job("low2", csv, csv.size(), true, 0)));
  ASSERT_TRUE(h.pool->submit(h.job("mid", csv, csv.size(), true, 1)));
  EXPECT_FALSE(h.pool->submit(h.job("mid", csv))) << "a job id is taken once";
  EXPECT_EQ(h.pool->stats().queued, 5u);

  ASSERT_TRUE(h.pool->data_available("first", csv.size(), true));
  ASSERT_TRUE(h.run_until([&] { return h.finish_order.size() == 6; }));
  EXPECT_EQ(h.finish_order, (std::vector<std::string>{"first", "high1", "high2", "mid", "low1", "low2"}));
  for (const auto& [id, outcome] : h.outcomes) {
    EXPECT_EQ(outcome.state, JobState::done) << id;
    EXPECT_EQ(outcome.worker, 0u);
  }
  EXPECT_GT(h.outcomes["low2"].timings.queued_ms, h.outcomes["high1"].timings.queued_ms);
  expect_clean_end(h);
}

TEST(PoolTest, OutputAndSummaryEqualTheInProcessJob) {
  PoolHarness h(config(2));
  h.pool->start();
  const std::string csv = sample_csv(20000);
  for (const char* to : {"ndjson", "csv", "json"}) {
    const std::string id = std::string("to_") + to;
    pool::PoolJob job = h.job(id, csv);
    job.options = {{"to", to}, {"max_errors", -1}};
    ASSERT_TRUE(h.pool->submit(job));
    ASSERT_TRUE(h.wait_finished(id));
    const JobOutcome& outcome = h.outcomes[id];
    ASSERT_EQ(outcome.state, JobState::done) << (outcome.error ? outcome.error->message : "");
    EXPECT_FALSE(outcome.error);

    std::string expected_output;
    Result expected = run_in_process(csv, job.options, job.name, expected_output);
    EXPECT_EQ(h.output(id), expected_output) << to;
    EXPECT_EQ(without_timings(outcome.summary()), without_timings(expected.summary)) << to;
    EXPECT_GT(outcome.timings.process_ms, 0);
    EXPECT_GE(outcome.timings.total_ms, outcome.timings.process_ms);

    // Progress ends at 100% before the finish.
    ASSERT_FALSE(h.progress[id].empty());
    EXPECT_EQ(h.progress[id].back().bytes, csv.size());
    EXPECT_EQ(h.progress[id].back().total, csv.size());
    EXPECT_EQ(h.progress[id].back().phase, "parse");
  }
  expect_clean_end(h);
}

TEST(PoolTest, ATinyJobHasOneProgressJustBeforeItsFinish) {
  PoolHarness h(config(1));
  h.pool->start();
  const std::string csv = "a,b\n1,x\n2,y\n";
  ASSERT_TRUE(h.pool->submit(h.job("tiny", csv)));
  ASSERT_TRUE(h.wait_finished("tiny"));
  ASSERT_EQ(h.outcomes["tiny"].state, JobState::done);
  // The final progress travels in the finish frame; the pool reports it first.
  ASSERT_EQ(h.progress["tiny"].size(), 1u);
  EXPECT_EQ(h.progress_at_finish["tiny"], 1u);
  const pool::ProgressMessage& p = h.progress["tiny"][0];
  EXPECT_EQ(p.id, "tiny");
  EXPECT_EQ(p.bytes, csv.size());
  EXPECT_EQ(p.total, csv.size());
  EXPECT_EQ(p.rows, 2u);
  EXPECT_EQ(p.errors, 0u);
  // The summary arrives as the worker's text, and parses to the same document.
  const std::string& text = h.outcomes["tiny"].summary_text;
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.front(), '{');
  EXPECT_EQ(h.outcomes["tiny"].summary().dump(), text);
  EXPECT_EQ(h.outcomes["tiny"].summary()["rows"], 2);
  expect_clean_end(h);
}

TEST(PoolTest, AWorkersNextJobIsStartedAfterThePreviousOneFinished) {
  PoolHarness h(config(1));
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const std::string csv = "a\n1\n";
  for (const char* id : {"one", "two", "three"}) ASSERT_TRUE(h.pool->submit(h.job(id, csv)));
  ASSERT_TRUE(h.run_until([&] { return h.finish_order.size() == 3; }));
  // The next start message goes out before the finish handlers run; the events keep
  // their order all the same.
  EXPECT_EQ(h.event_log, (std::vector<std::string>{"started one", "finished one", "started two",
                                                   "finished two", "started three", "finished three"}));
  expect_clean_end(h);
}

TEST(PoolTest, AJobThatFailsBeforeParsingHasNoSummary) {
  PoolHarness h(config(1));
  h.pool->start();
  pool::PoolJob job = h.job("bad", "a\n1\n");
  job.options = {{"to", "nothing-like-a-format"}};
  ASSERT_TRUE(h.pool->submit(job));
  ASSERT_TRUE(h.wait_finished("bad"));
  EXPECT_EQ(h.outcomes["bad"].state, JobState::failed);
  EXPECT_EQ(h.outcomes["bad"].error->code, ErrorCode::bad_request);
  EXPECT_TRUE(h.outcomes["bad"].summary_text.empty());
  EXPECT_TRUE(h.outcomes["bad"].summary().is_null());
  EXPECT_TRUE(h.progress["bad"].empty());
  expect_clean_end(h);
}

TEST(PoolTest, ParsingOverlapsTheUploadWithTheSameResult) {
  PoolConfig c = config(1);
  c.chunk_bytes = 4096;  // many reads per step of the "upload"
  PoolHarness h(c);
  h.pool->start();
  const std::string csv = sample_csv(5000);
  ASSERT_TRUE(h.pool->submit(h.job("up", csv, 1000, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("up") != 0; }));
  std::uint64_t available = 1000;
  while (available < csv.size()) {
    available = std::min<std::uint64_t>(available + 17'003, csv.size());
    ASSERT_TRUE(h.pool->data_available("up", available, false));
    // Let the worker catch up with part of the steps, not all.
    if (available % 2 == 0) h.run_until([] { return false; }, 5ms);
  }
  ASSERT_TRUE(h.pool->data_available("up", available, true));
  ASSERT_TRUE(h.wait_finished("up"));
  ASSERT_EQ(h.outcomes["up"].state, JobState::done);

  std::string expected_output;
  Result expected = run_in_process(csv, nlohmann::json::object(), "up.csv", expected_output);
  EXPECT_EQ(h.output("up"), expected_output);
  EXPECT_EQ(without_timings(h.outcomes["up"].summary()), without_timings(expected.summary));
  expect_clean_end(h);
}

TEST(PoolTest, CancellingAQueuedJobNeverReachesAWorker) {
  PoolHarness h(config(1));
  h.pool->start();
  const std::string csv = sample_csv(100);
  ASSERT_TRUE(h.pool->submit(h.job("busy", csv, 10, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("busy") != 0; }));
  ASSERT_TRUE(h.pool->submit(h.job("queued", csv)));
  ASSERT_EQ(h.pool->stats().queued, 1u);

  ASSERT_TRUE(h.pool->cancel("queued"));
  // At once: before the loop runs again.
  ASSERT_TRUE(h.finished("queued"));
  EXPECT_EQ(h.outcomes["queued"].state, JobState::cancelled);
  EXPECT_EQ(h.outcomes["queued"].error->code, ErrorCode::cancelled);
  EXPECT_FALSE(h.outcomes["queued"].worker);
  EXPECT_EQ(h.pool->stats().queued, 0u);
  EXPECT_FALSE(h.pool->cancel("queued")) << "gone";

  ASSERT_TRUE(h.pool->data_available("busy", csv.size(), true));
  ASSERT_TRUE(h.wait_finished("busy"));
  EXPECT_TRUE(h.wait_all_idle());
  EXPECT_EQ(h.started_pid.count("queued"), 0u);
  EXPECT_EQ(h.pool->stats().per_worker[0].jobs_done, 1u) << "the worker saw only the first job";
  EXPECT_EQ(h.pool->stats().cancelled, 1u);
  expect_clean_end(h);
}

TEST(PoolTest, CancellingARunningJobStopsItQuickly) {
  PoolHarness h(config(1));
  h.pool->start();
  const std::string csv = sample_csv(1000);
  ASSERT_TRUE(h.pool->submit(h.job("run", csv, csv.size() / 3, false)));
  // Once its first part is parsed, the worker waits for data.
  ASSERT_TRUE(h.run_until([&] { return !h.progress["run"].empty(); }));
  const int pid = h.started_pid["run"];

  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.pool->cancel("run"));
  ASSERT_TRUE(h.wait_finished("run", 5s));
  const double latency_ms = std::chrono::duration<double, std::milli>(h.finished_at["run"] - asked).count();
  std::printf("cancel latency of a running job: %.3f ms\n", latency_ms);
  EXPECT_LT(latency_ms, 5000);
  EXPECT_EQ(h.outcomes["run"].state, JobState::cancelled);
  EXPECT_EQ(h.outcomes["run"].error->code, ErrorCode::cancelled);
  EXPECT_EQ(h.pid_of(0), pid) << "a worker that stops in time is kept";
  EXPECT_EQ(h.pool->stats().spawned, 1u);

  ASSERT_TRUE(h.pool->submit(h.job("after", csv)));
  ASSERT_TRUE(h.wait_finished("after"));
  EXPECT_EQ(h.outcomes["after"].state, JobState::done);
  expect_clean_end(h);
}

TEST(PoolTest, CancellingAJobInTheMiddleOfParsingStopsItAtTheNextChunk) {
  PoolHarness h(config(1));
  h.pool->start();
  std::string csv = sample_csv(2000);
  while (csv.size() < (48u << 20)) csv += csv.substr(csv.find('\n') + 1);
  ASSERT_TRUE(h.pool->submit(h.job("parsing", csv)));
  // The first progress comes after the first chunk: the worker is parsing now.
  ASSERT_TRUE(h.run_until([&] { return !h.progress["parsing"].empty(); }, 30s));
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.pool->cancel("parsing"));
  ASSERT_TRUE(h.wait_finished("parsing", 5s));
  const double latency_ms =
      std::chrono::duration<double, std::milli>(h.finished_at["parsing"] - asked).count();
  std::printf("cancel latency of a job while it parses: %.3f ms\n", latency_ms);
  EXPECT_LT(latency_ms, 5000);
  EXPECT_EQ(h.outcomes["parsing"].state, JobState::cancelled);
  EXPECT_LT(h.progress["parsing"].back().bytes, csv.size());
  expect_clean_end(h);
}

std::string cmdline_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(PoolTest, ProcessTitlesShowWhatEachWorkerDoes) {
  std::vector<char*> argv = real_argv();
  PoolConfig c = config(1);
  c.argc = static_cast<int>(argv.size());
  c.argv = argv.data();
  PoolHarness h(c);
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const int pid = h.pid_of(0);
  EXPECT_TRUE(h.run_until([&] { return cmdline_of(pid).rfind("fastthread: worker 0 idle", 0) == 0; }, 2s))
      << cmdline_of(pid);

  const std::string csv = sample_csv(100);
  pool::PoolJob job = h.job("big", csv, 10, false);
  job.name = "big.csv";
  ASSERT_TRUE(h.pool->submit(job));
  EXPECT_TRUE(
      h.run_until([&] { return cmdline_of(pid).rfind("fastthread: worker 0 parsing big.csv", 0) == 0; }, 2s))
      << cmdline_of(pid);
  EXPECT_EQ(h.pool->stats().per_worker[0].job_id, "big");
  ASSERT_TRUE(h.pool->cancel("big"));
  ASSERT_TRUE(h.wait_finished("big"));
  // The master's own command line is untouched.
  EXPECT_EQ(cmdline_of(::getpid()).rfind("fastthread: worker", 0), std::string::npos);
  expect_clean_end(h);
}

TEST(PoolTest, BadOptionsAndMissingFilesFailTheJobNotTheWorker) {
  PoolHarness h(config(1));
  h.pool->start();
  pool::PoolJob bad = h.job("bad", "a,b\n1,2\n");
  bad.options = {{"format", "xml"}};
  pool::PoolJob missing = h.job("missing", "a,b\n1,2\n");
  missing.input_path = h.dir.path("nowhere.csv");
  ASSERT_TRUE(h.pool->submit(bad));
  ASSERT_TRUE(h.pool->submit(missing));
  ASSERT_TRUE(h.wait_finished("bad"));
  ASSERT_TRUE(h.wait_finished("missing"));
  EXPECT_EQ(h.outcomes["bad"].state, JobState::failed);
  EXPECT_EQ(h.outcomes["bad"].error->code, ErrorCode::bad_request);
  EXPECT_NE(h.outcomes["bad"].error->message.find("format"), std::string::npos);
  EXPECT_EQ(h.outcomes["missing"].error->code, ErrorCode::io_error);
  EXPECT_NE(h.outcomes["missing"].error->message.find("nowhere.csv"), std::string::npos);
  EXPECT_EQ(h.pool->stats().spawned, 1u);
  EXPECT_EQ(h.pool->stats().failed, 2u);
  expect_clean_end(h);
}

TEST(PoolTest, StatsShowEveryWorkerWithItsMemory) {
  PoolHarness h(config(3));
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const pool::PoolStats stats = h.pool->stats();
  EXPECT_EQ(stats.workers, 3u);
  EXPECT_EQ(stats.busy, 0u);
  ASSERT_EQ(stats.per_worker.size(), 3u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(stats.per_worker[i].index, i);
    EXPECT_GT(stats.per_worker[i].pid, 0);
    EXPECT_GT(stats.per_worker[i].rss_bytes, 0u);
    EXPECT_GE(stats.per_worker[i].cpu_seconds, 0.0);
  }
  const pool::Json json = stats.to_json();
  EXPECT_EQ(json["workers"], 3);
  EXPECT_EQ(json["per_worker"][1]["state"], "idle");
  EXPECT_TRUE(json["per_worker"][1]["job"].is_null());
  expect_clean_end(h);
}

}  // namespace
}  // namespace fastthread::testing
