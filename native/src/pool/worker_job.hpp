// One job inside a worker: input file -> fastthread::Job -> output file (internal).
#pragma once

#include "pool/messages.hpp"
#include "pool/process_title.hpp"
#include "pool/worker_channel.hpp"
#include "pool/worker_main.hpp"

namespace fastthread::pool::detail {

struct JobRunEnd {
  bool stop_requested = false;  // a "stop" came during the job: exit after it
  bool out_of_memory = false;   // the job hit the memory limit: exit so a fresh process follows
};

// Runs the job a start message describes, answering with progress and one finish.
// `chunk` is the worker's read buffer, kept from job to job.
JobRunEnd run_job(const StartMessage& start, WorkerChannel& channel, const WorkerConfig& config,
                  std::string& chunk);

}  // namespace fastthread::pool::detail
