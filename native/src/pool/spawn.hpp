// Starting a worker process and describing how one ended.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "pool/worker_main.hpp"

namespace fastthread::pool {

struct SpawnedWorker {
  pid_t pid = 0;
  int fd = -1;  // the master's end of the channel (a Unix stream socket), close-on-exec
};

// Forks a worker on a fresh socketpair. The child keeps only stdin/stdout/stderr and its
// own end of the channel (moved to fd 3; everything else, including other workers'
// channels and any listening socket of the server, is closed), asks the kernel to SIGKILL
// it when the master dies, and runs run_worker(). Fork only from a single-threaded
// process: the child runs the allocator and must not find a lock held by another thread.
// nullopt with `error` set when the socketpair or the fork fails.
std::optional<SpawnedWorker> spawn_worker(const WorkerConfig& config, std::string& error);

// "was killed by SIGKILL", "exited with status 3" (for a status from waitpid).
std::string describe_exit(int status);

}  // namespace fastthread::pool
