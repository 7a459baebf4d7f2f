#include "pool/worker_main.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <string>

#include "pool/process_title.hpp"
#include "pool/worker_channel.hpp"
#include "pool/worker_job.hpp"

namespace fastthread::pool {
namespace {

// The master's handlers (Asio's SIGCHLD and whatever the server set) mean nothing here,
// and a sanitizer's SIGSEGV handler would turn a crash into an ordinary exit: every signal
// goes back to its default action, and the ones a worker must survive are ignored. The
// master alone decides when a worker ends (Ctrl-C in a terminal reaches the whole group).
void set_up_signals() {
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) ::sigaction(sig, &action, nullptr);
  }
  action.sa_handler = SIG_IGN;
  for (int sig : {SIGINT, SIGTERM, SIGPIPE}) ::sigaction(sig, &action, nullptr);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

void set_memory_limit(std::uint64_t bytes) {
  if (bytes == 0) return;
  const rlimit limit{static_cast<rlim_t>(bytes), static_cast<rlim_t>(bytes)};
  if (::setrlimit(RLIMIT_AS, &limit) != 0) _exit(kWorkerExitFatal);
}

}  // namespace

void run_worker(int fd, const WorkerConfig& config) {
  set_up_signals();
  set_memory_limit(config.memory_limit_bytes);
  const std::string who = "fastthread: worker " + std::to_string(config.index);
  ProcessTitle title(config.argc, config.argv);
  set_thread_name("ft worker " + std::to_string(config.index));
  title.set(who + " idle");

  detail::WorkerChannel channel(fd);
  std::uint64_t jobs = 0;
  std::string chunk;
  channel.send(encode(ReadyMessage{::getpid(), jobs}));
  while (true) {
    auto message = channel.receive(-1);
    if (!message) continue;
    if (std::holds_alternative<StopMessage>(*message)) _exit(kWorkerExitOk);
    const auto* start = std::get_if<StartMessage>(&*message);
    if (start == nullptr) continue;  // a late cancel or data for a job already finished

    title.set(who + " parsing " + start->name);
    const detail::JobRunEnd end = detail::run_job(*start, channel, config, chunk);
    ++jobs;
    if (end.out_of_memory) _exit(kWorkerExitOutOfMemory);
    if (end.stop_requested) _exit(kWorkerExitOk);
    if (config.recycle_after != 0 && jobs >= config.recycle_after) _exit(kWorkerExitOk);
    title.set(who + " idle");
  }
}

}  // namespace fastthread::pool
