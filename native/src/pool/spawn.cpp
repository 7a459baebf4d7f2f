#include "pool/spawn.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdlib>

namespace fastthread::pool {
namespace {

constexpr int kChannelFd = 3;

// Closes every descriptor above the channel. close_range is one call; the /proc walk is
// for kernels before 5.9.
void close_all_above(int fd) {
  if (::close_range(static_cast<unsigned>(fd) + 1, ~0u, 0) == 0) return;
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) _exit(kWorkerExitFatal);
  const int own = ::dirfd(dir);
  while (const dirent* entry = ::readdir(dir)) {
    const int n = std::atoi(entry->d_name);
    if (n > fd && n != own) ::close(n);
  }
  ::closedir(dir);
}

[[noreturn]] void become_worker(int channel, pid_t master, const WorkerConfig& config) {
  // A master that died before this line would never send the death signal: check.
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || ::getppid() != master) _exit(kWorkerExitFatal);
  if (channel != kChannelFd) {
    if (::dup2(channel, kChannelFd) < 0) _exit(kWorkerExitFatal);
  } else if (::fcntl(kChannelFd, F_SETFD, 0) < 0) {
    _exit(kWorkerExitFatal);
  }
  close_all_above(kChannelFd);
  run_worker(kChannelFd, config);
}

}  // namespace

std::optional<SpawnedWorker> spawn_worker(const WorkerConfig& config, std::string& error) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    error = std::string("socketpair: ") + std::strerror(errno);
    return std::nullopt;
  }
  const pid_t master = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    ::close(fds[0]);
    become_worker(fds[1], master, config);
  }
  ::close(fds[1]);
  return SpawnedWorker{pid, fds[0]};
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    std::string text = "was killed by " + (name ? "SIG" + std::string(name) : "signal " + std::to_string(sig));
    if (WCOREDUMP(status)) text += " (core dumped)";
    return text;
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended (status " + std::to_string(status) + ")";
}

}  // namespace fastthread::pool
