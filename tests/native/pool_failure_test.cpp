// The pool when things go wrong: crashes, bad messages, time limits, stuck workers, memory,
// shutdown.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "native/pool_harness.hpp"
#include "pool/pool.hpp"

namespace fastthread::testing {
namespace {

using pool::PoolConfig;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

PoolConfig config(unsigned workers) {
  PoolConfig c;
  c.workers = workers;
  return c;
}

void expect_clean_end(PoolHarness& h) {
  EXPECT_TRUE(h.shut_down(false));
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

// A busy worker killed by `sig`: its job alone fails, the slot gets a new process.
void crash_a_busy_worker(int sig, const std::string& name) {
  PoolHarness h(config(2));
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const std::string csv = sample_csv(500);
  ASSERT_TRUE(h.pool->submit(h.job("victim", csv, 100, false)));
  ASSERT_TRUE(h.pool->submit(h.job("bystander", csv, 100, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.size() == 2; }));
  const int pid = h.started_pid["victim"];
  const unsigned slot = h.pool->stats().per_worker[0].job_id == "victim" ? 0 : 1;

  const auto killed = std::chrono::steady_clock::now();
  ASSERT_EQ(::kill(pid, sig), 0);
  ASSERT_TRUE(h.wait_finished("victim"));
  const pool::JobOutcome& outcome = h.outcomes["victim"];
  EXPECT_EQ(outcome.state, JobState::failed);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, ErrorCode::worker_crashed);
  EXPECT_EQ(outcome.error->message,
            "worker " + std::to_string(slot) + " (pid " + std::to_string(pid) + ") was killed by " + name +
                (outcome.error->message.find("core dumped") != std::string::npos ? " (core dumped)" : ""));
  ASSERT_TRUE(h.run_until([&] {
    auto w = h.pool->stats().per_worker[slot];
    return w.state == pool::WorkerState::idle && w.pid != pid;
  }));
  const double respawn_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - killed).count();
  std::printf("%s: job failed and a new worker was ready %.3f ms after the kill\n", name.c_str(), respawn_ms);
  EXPECT_LT(respawn_ms, 1000);
  EXPECT_EQ(h.pool->stats().workers, 2u);
  EXPECT_FALSE(h.finished("bystander")) << "the other job did not notice";

  ASSERT_TRUE(h.pool->data_available("bystander", csv.size(), true));
  ASSERT_TRUE(h.pool->submit(h.job("next", csv)));
  ASSERT_TRUE(h.wait_finished("bystander"));
  ASSERT_TRUE(h.wait_finished("next"));
  EXPECT_EQ(h.outcomes["bystander"].state, JobState::done);
  EXPECT_EQ(h.outcomes["next"].state, JobState::done);
  expect_clean_end(h);
}

TEST(PoolFailureTest, AWorkerKilledWithSigkillIsReplaced) {
  crash_a_busy_worker(SIGKILL, "SIGKILL");
}

TEST(PoolFailureTest, AWorkerThatSegfaultsIsReplaced) {
  crash_a_busy_worker(SIGSEGV, "SIGSEGV");
}

// The test speaks as a worker: pidfd_getfd copies the worker's own end of its channel
// (fd 3, spawn.hpp), and what the test writes there reaches the master from that worker.
// The worker is stopped first, so the test's frame is the only one in flight.
int take_worker_channel(int pid, std::string& error) {
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) {
    error = std::string("pidfd_open: ") + std::strerror(errno);
    return -1;
  }
  const int fd = static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd, 3, 0));
  if (fd < 0) error = std::string("pidfd_getfd: ") + std::strerror(errno);
  ::close(pidfd);
  return fd;
}

// Stopped for good: SIGSTOP is only queued when kill() returns.
bool wait_until_stopped(int pid) {
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    const std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close != std::string::npos && text.substr(close + 2, 1) == "T") return true;
    ::usleep(1000);
  }
  return false;
}

struct BadMessage {
  std::string name;
  std::string text;    // what the worker sends in a frame
  std::string reason;  // what the job's error says about it
};

// A frame holding `text` as it is, JSON or not.
std::string raw_frame(const std::string& text) {
  const auto n = static_cast<std::uint32_t>(text.size());
  return std::string{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                     static_cast<char>(n)} +
         text;
}

void PrintTo(const BadMessage& bad, std::ostream* out) {
  *out << bad.name;
}

class PoolBadMessageTest : public ::testing::TestWithParam<BadMessage> {};

// A worker that breaks the protocol is killed and replaced; its job fails saying why,
// and neither the master nor the other worker notices anything else.
TEST_P(PoolBadMessageTest, AWorkerThatSendsABadMessageLosesOnlyItsJob) {
  PoolHarness h(config(2));
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const std::string csv = sample_csv(500);
  ASSERT_TRUE(h.pool->submit(h.job("victim", csv, 100, false)));
  ASSERT_TRUE(h.pool->submit(h.job("bystander", csv, 100, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.size() == 2; }));
  const int pid = h.started_pid["victim"];
  const unsigned slot = h.pool->stats().per_worker[0].job_id == "victim" ? 0 : 1;
  std::string error;
  const int channel = take_worker_channel(pid, error);
  if (channel < 0) GTEST_SKIP() << "cannot speak for the worker here: " << error;
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  ASSERT_TRUE(wait_until_stopped(pid));
  const std::string frame = raw_frame(GetParam().text);
  ASSERT_EQ(::write(channel, frame.data(), frame.size()), static_cast<ssize_t>(frame.size()));
  ::close(channel);

  ASSERT_TRUE(h.wait_finished("victim"));
  const pool::JobOutcome& outcome = h.outcomes["victim"];
  EXPECT_EQ(outcome.state, JobState::failed);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->code, ErrorCode::worker_crashed);
  EXPECT_EQ(outcome.error->message, "worker " + std::to_string(slot) + " (pid " + std::to_string(pid) +
                                        ") broke the protocol and was killed: " + GetParam().reason);
  ASSERT_TRUE(h.run_until([&] {
    auto w = h.pool->stats().per_worker[slot];
    return w.state == pool::WorkerState::idle && w.pid != pid;
  }));
  EXPECT_FALSE(h.finished("bystander"));
  ASSERT_TRUE(h.pool->data_available("bystander", csv.size(), true));
  ASSERT_TRUE(h.pool->submit(h.job("next", csv)));
  ASSERT_TRUE(h.wait_finished("bystander"));
  ASSERT_TRUE(h.wait_finished("next"));
  EXPECT_EQ(h.outcomes["bystander"].state, JobState::done);
  EXPECT_EQ(h.outcomes["next"].state, JobState::done);
  expect_clean_end(h);
}

INSTANTIATE_TEST_SUITE_P(
    Messages, PoolBadMessageTest,
    ::testing::Values(
        BadMessage{"OpNotAString", R"({"op":5})", "bad frame from the worker: frame has no \"op\""},
        BadMessage{"NotJson", "not json", "bad frame from the worker: frame is not valid JSON"},
        BadMessage{"UnknownOp", R"({"op":"hello"})",
                   "unknown op 'hello' (a worker sends ready, progress or finish)"},
        BadMessage{"ReadyTwice", R"({"op":"ready","pid":1234,"jobs":0})",
                   "ready: the worker had said so already"},
        BadMessage{"FinishWithoutId", R"({"op":"finish","state":"done","error":null,"process_ms":1.5})",
                   "finish: field 'id' is missing"},
        BadMessage{"FinishWithANumberId",
                   R"({"op":"finish","id":5,"state":"done","error":null,"process_ms":1.5})",
                   "finish: field 'id' must be a string, not 5"},
        BadMessage{"FinishWithANumberState",
                   R"({"op":"finish","id":"victim","state":1,"error":null,"process_ms":1.5})",
                   "finish: field 'state' must be a string, not 1"},
        BadMessage{
            "ProgressWithTextForBytes",
            R"({"op":"progress","id":"victim","phase":"parse","bytes":"many","total":null,"rows":0,"errors":0})",
            "progress: field 'bytes' must be a non-negative integer, not a string"}),
    [](const ::testing::TestParamInfo<BadMessage>& param) { return param.param.name; });

TEST(PoolFailureTest, AJobPastItsTimeLimitFailsWithTimeout) {
  PoolConfig c = config(1);
  c.job_timeout = 300ms;
  PoolHarness h(c);
  h.pool->start();
  const std::string csv = sample_csv(100);
  ASSERT_TRUE(h.pool->submit(h.job("slow", csv, 10, false)));
  ASSERT_TRUE(h.wait_finished("slow"));
  const pool::JobOutcome& outcome = h.outcomes["slow"];
  EXPECT_EQ(outcome.state, JobState::failed);
  EXPECT_EQ(outcome.error->code, ErrorCode::timeout);
  // Measured by the worker from when it read the start: a loaded machine may lose a little.
  EXPECT_GE(outcome.timings.process_ms, 200);
  EXPECT_GE(outcome.timings.total_ms, 300);
  // The worker stopped when told to, so it stays.
  EXPECT_EQ(h.pid_of(0), h.started_pid["slow"]);
  ASSERT_TRUE(h.pool->submit(h.job("quick", csv)));
  ASSERT_TRUE(h.wait_finished("quick"));
  EXPECT_EQ(h.outcomes["quick"].state, JobState::done);
  expect_clean_end(h);
}

// SIGSTOP makes a worker that cannot answer: only the kill after the grace period ends it.
TEST(PoolFailureTest, AStuckWorkerPastTheTimeLimitIsKilledAndReplaced) {
  PoolConfig c = config(1);
  c.job_timeout = 300ms;
  c.cancel_grace = 200ms;
  PoolHarness h(c);
  h.pool->start();
  const std::string csv = sample_csv(100);
  ASSERT_TRUE(h.pool->submit(h.job("stuck", csv, 10, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("stuck") != 0; }));
  const int pid = h.started_pid["stuck"];
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  ASSERT_TRUE(h.wait_finished("stuck"));
  EXPECT_EQ(h.outcomes["stuck"].error->code, ErrorCode::timeout);
  EXPECT_NE(h.outcomes["stuck"].error->message.find("was killed"), std::string::npos);
  EXPECT_GE(h.outcomes["stuck"].timings.process_ms, 490);
  ASSERT_TRUE(h.wait_all_idle());
  EXPECT_NE(h.pid_of(0), pid);
  ASSERT_TRUE(h.pool->submit(h.job("after", csv)));
  ASSERT_TRUE(h.wait_finished("after"));
  EXPECT_EQ(h.outcomes["after"].state, JobState::done);
  expect_clean_end(h);
}

TEST(PoolFailureTest, AWorkerThatIgnoresCancelIsKilledAfterTheGracePeriod) {
  PoolConfig c = config(1);
  c.cancel_grace = 200ms;
  PoolHarness h(c);
  h.pool->start();
  const std::string csv = sample_csv(100);
  ASSERT_TRUE(h.pool->submit(h.job("deaf", csv, 10, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("deaf") != 0; }));
  const int pid = h.started_pid["deaf"];
  ASSERT_EQ(::kill(pid, SIGSTOP), 0);
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_TRUE(h.pool->cancel("deaf"));
  ASSERT_TRUE(h.wait_finished("deaf"));
  const double ms = std::chrono::duration<double, std::milli>(h.finished_at["deaf"] - asked).count();
  EXPECT_GE(ms, 190);
  EXPECT_EQ(h.outcomes["deaf"].state, JobState::cancelled);
  EXPECT_NE(h.outcomes["deaf"].error->message.find("was killed"), std::string::npos);
  ASSERT_TRUE(h.wait_all_idle());
  EXPECT_NE(h.pid_of(0), pid);
  expect_clean_end(h);
}

TEST(PoolFailureTest, AWorkerIsRecycledAfterKJobsWithoutAFailure) {
  PoolConfig c = config(1);
  c.recycle_after = 2;
  PoolHarness h(c);
  h.pool->start();
  const std::string csv = sample_csv(100);
  for (const char* id : {"j1", "j2", "j3", "j4", "j5"}) {
    ASSERT_TRUE(h.pool->submit(h.job(id, csv)));
  }
  ASSERT_TRUE(h.run_until([&] { return h.outcomes.size() == 5; }));
  EXPECT_EQ(h.started_pid["j1"], h.started_pid["j2"]);
  EXPECT_NE(h.started_pid["j2"], h.started_pid["j3"]);
  EXPECT_EQ(h.started_pid["j3"], h.started_pid["j4"]);
  EXPECT_NE(h.started_pid["j4"], h.started_pid["j5"]);
  for (const auto& [id, outcome] : h.outcomes) EXPECT_EQ(outcome.state, JobState::done) << id;
  EXPECT_EQ(h.pool->stats().failed, 0u);
  EXPECT_EQ(h.pool->stats().done, 5u);
  expect_clean_end(h);
}

std::uint64_t own_address_space_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::uint64_t pages = 0;
  statm >> pages;
  return pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
}

TEST(PoolFailureTest, AJobOverTheMemoryLimitFailsAndThePoolRecovers) {
  if (kAddressSanitizer) GTEST_SKIP() << "ASan reserves terabytes of address space: RLIMIT_AS cannot apply";
  PoolConfig c = config(1);
  // Workers are forks of this process: their own size plus 64 MiB to spare.
  c.memory_limit_bytes = own_address_space_bytes() + (64ull << 20);
  PoolHarness h(c);
  h.pool->start();
  ASSERT_TRUE(h.wait_all_idle());
  const int pid = h.pid_of(0);
  // One field of 160 MB: the record must be held whole.
  std::string csv = "a,b\n1,\"";
  csv.append(160ull << 20, 'x');
  csv += "\"\n";
  ASSERT_TRUE(h.pool->submit(h.job("huge", csv)));
  csv.clear();
  csv.shrink_to_fit();
  ASSERT_TRUE(h.wait_finished("huge", 60s));
  const pool::JobOutcome& outcome = h.outcomes["huge"];
  EXPECT_EQ(outcome.state, JobState::failed);
  ASSERT_TRUE(outcome.error);
  // std::bad_alloc comes back as out_of_memory; an allocator that aborts instead would
  // give worker_crashed (SIGABRT). glibc's malloc throws, so out_of_memory is expected.
  EXPECT_EQ(outcome.error->code, ErrorCode::out_of_memory) << outcome.error->message;
  ASSERT_TRUE(h.wait_all_idle());
  EXPECT_NE(h.pid_of(0), pid) << "a worker that ran out of memory is replaced";
  ASSERT_TRUE(h.pool->submit(h.job("small", sample_csv(100))));
  ASSERT_TRUE(h.wait_finished("small"));
  EXPECT_EQ(h.outcomes["small"].state, JobState::done);
  expect_clean_end(h);
}

TEST(PoolFailureTest, AWorkerThatCannotStartIsRespawnedWithBackOff) {
  // A memory limit above the hard limit makes setrlimit fail in the worker before "ready".
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_AS, &limit), 0);
  const rlim_t hard = limit.rlim_max == RLIM_INFINITY ? rlim_t{1} << 46 : limit.rlim_max;
  limit.rlim_max = hard;
  limit.rlim_cur = std::min(limit.rlim_cur, hard);
  ASSERT_EQ(::setrlimit(RLIMIT_AS, &limit), 0);
  PoolConfig c = config(1);
  c.memory_limit_bytes = static_cast<std::uint64_t>(hard) * 2;
  c.respawn_backoff = 100ms;
  PoolHarness h(c);
  h.pool->start();
  ASSERT_TRUE(h.pool->submit(h.job("waiting", sample_csv(10))));
  h.run_until([] { return false; }, 1500ms);
  // 0, 100, 300, 700 and 1500 ms: about five tries, not thousands.
  const auto spawned = h.pool->stats().spawned;
  std::printf("forks in 1.5 s for a worker that cannot start: %llu\n",
              static_cast<unsigned long long>(spawned));
  EXPECT_GE(spawned, 3u);
  EXPECT_LE(spawned, 6u);
  EXPECT_FALSE(h.finished("waiting"));
  EXPECT_EQ(h.pool->stats().queued, 1u);
  EXPECT_TRUE(h.shut_down(false));
  EXPECT_EQ(h.outcomes["waiting"].error->code, ErrorCode::shutting_down);
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

TEST(PoolFailureTest, DrainLetsTheRunningJobFinishAndRefusesNewOnes) {
  PoolHarness h(config(1));
  h.pool->start();
  const std::string csv = sample_csv(1000);
  ASSERT_TRUE(h.pool->submit(h.job("running", csv, 100, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("running") != 0; }));
  ASSERT_TRUE(h.pool->submit(h.job("queued", csv)));

  bool done = false;
  h.pool->shutdown(true, 10s, [&] { done = true; });
  ASSERT_TRUE(h.finished("queued"));
  EXPECT_EQ(h.outcomes["queued"].error->code, ErrorCode::shutting_down);
  EXPECT_FALSE(h.pool->submit(h.job("late", csv)));
  h.run_until([] { return false; }, 50ms);
  EXPECT_FALSE(done) << "the running job is still uploading";

  ASSERT_TRUE(h.pool->data_available("running", csv.size(), true));
  ASSERT_TRUE(h.run_until([&] { return done; }));
  h.stopped = true;
  EXPECT_EQ(h.outcomes["running"].state, JobState::done);
  EXPECT_EQ(h.pool->stats().workers, 0u);
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

TEST(PoolFailureTest, DrainKillsWhatStillRunsAtItsTimeout) {
  PoolHarness h(config(2));
  h.pool->start();
  ASSERT_TRUE(h.pool->submit(h.job("forever", sample_csv(100), 10, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.count("forever") != 0; }));
  EXPECT_TRUE(h.shut_down(true, 300ms));
  EXPECT_EQ(h.outcomes["forever"].state, JobState::failed);
  EXPECT_EQ(h.outcomes["forever"].error->code, ErrorCode::shutting_down);
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

TEST(PoolFailureTest, ImmediateShutdownStopsEverythingAndLeavesNoChild) {
  PoolHarness h(config(3));
  h.pool->start();
  ASSERT_TRUE(h.pool->submit(h.job("a", sample_csv(100), 10, false)));
  ASSERT_TRUE(h.pool->submit(h.job("b", sample_csv(100), 10, false)));
  ASSERT_TRUE(h.run_until([&] { return h.started_pid.size() == 2; }));
  EXPECT_TRUE(h.shut_down(false));
  EXPECT_EQ(h.outcomes["a"].error->code, ErrorCode::shutting_down);
  EXPECT_EQ(h.outcomes["b"].error->code, ErrorCode::shutting_down);
  EXPECT_EQ(h.pool->stats().workers, 0u);
  h.pool.reset();
  EXPECT_TRUE(no_children_left());
}

TEST(PoolFailureTest, DestroyingARunningPoolReapsItsWorkers) {
  {
    PoolHarness h(config(2));
    h.pool->start();
    ASSERT_TRUE(h.wait_all_idle());
    h.stopped = true;  // no shutdown: the destructor alone
  }
  EXPECT_TRUE(no_children_left());
}

// Gone, or a zombie waiting for whoever inherited it.
bool process_gone(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  return text.empty() || close == std::string::npos || text.substr(close + 2, 1) == "Z";
}

TEST(PoolFailureTest, WorkersDieWithTheirMaster) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t master = ::fork();
  ASSERT_GE(master, 0);
  if (master == 0) {
    // A master of its own: start a pool, report the workers' pids, then wait to be killed.
    ::close(fds[0]);
    PoolHarness h(config(3));
    h.pool->start();
    if (!h.wait_all_idle()) _exit(1);
    std::string pids;
    for (const auto& w : h.pool->stats().per_worker) pids += std::to_string(w.pid) + " ";
    pids += "\n";
    if (::write(fds[1], pids.data(), pids.size()) < 0) _exit(1);
    while (true) ::pause();
  }
  ::close(fds[1]);
  std::string line;
  char c = 0;
  while (::read(fds[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(fds[0]);
  std::istringstream in(line);
  std::vector<int> workers;
  for (int pid = 0; in >> pid;) workers.push_back(pid);
  ASSERT_EQ(workers.size(), 3u) << line;

  ASSERT_EQ(::kill(master, SIGKILL), 0);
  ASSERT_EQ(::waitpid(master, nullptr, 0), master);
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  for (int pid : workers) {
    while (!process_gone(pid) && std::chrono::steady_clock::now() < deadline) ::usleep(1000);
    EXPECT_TRUE(process_gone(pid)) << "worker " << pid << " outlived its master";
  }
  EXPECT_TRUE(no_children_left());
}

}  // namespace
}  // namespace fastthread::testing
