#include "pool/worker_job.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>
#include <string>

#include "decompress/job_input.hpp"
#include "fastthread/job.hpp"

namespace fastthread::pool::detail {
namespace {

using Clock = std::chrono::steady_clock;

// Collects output into large writes; remembers the first write error instead of throwing
// through the core.
class BufferedFileSink final : public OutputSink {
 public:
  explicit BufferedFileSink(int fd) : fd_(fd) { buffer_.reserve(kSize); }
  void write(std::string_view bytes) override {
    if (buffer_.size() + bytes.size() > kSize) flush();
    if (bytes.size() >= kSize) {
      write_all(bytes);
    } else {
      buffer_.append(bytes);
    }
  }
  void flush() {
    write_all(buffer_);
    buffer_.clear();
  }
  const std::string& error() const { return error_; }

 private:
  static constexpr std::size_t kSize = 256 * 1024;
  void write_all(std::string_view bytes) {
    while (error_.empty() && !bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) error_ = n < 0 ? std::strerror(errno) : "nothing written";
      if (n > 0) bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  int fd_;
  std::string buffer_;
  std::string error_;
};

// Closes a descriptor when the job ends, however it ends.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

JobError job_error(ErrorCode code, std::string message) {
  return JobError{code, std::move(message), std::nullopt};
}

class JobRun {
 public:
  JobRun(const StartMessage& start, WorkerChannel& channel, const WorkerConfig& config, std::string& chunk)
      : channel_(channel),
        config_(config),
        chunk_(chunk),
        started_(Clock::now()),
        id_(start.id),
        input_(start.input),
        output_(start.output),
        options_(start.options),
        available_(start.available),
        complete_(start.complete) {
    if (options_.is_object() && !options_.contains("name")) options_["name"] = start.name;
  }

  JobRunEnd run() {
    std::string problem;
    auto options = JobOptions::from_json(options_, problem);
    if (!options) return fail(ErrorCode::bad_request, problem);
    Fd in{::open(input_.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in.fd < 0) return finish(JobState::failed, io_error("opening the input " + input_));
    Fd out{::open(output_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (out.fd < 0) return finish(JobState::failed, io_error("creating the output " + output_));

    BufferedFileSink sink(out.fd);
    Job job(std::move(*options), sink);
    // The spool holds what was uploaded; a compressed upload is decompressed as it is read.
    decompress::JobInput input(job);
    // The worker's buffer is reused from job to job: a fresh one per job would cost a
    // page-faulting megabyte for every tiny job.
    if (chunk_.size() != config_.chunk_bytes) chunk_.resize(config_.chunk_bytes);
    std::string& chunk = chunk_;
    std::uint64_t offset = 0;
    bool input_ended = false;
    while (!cancelled_) {
      if (offset < available_) {
        const auto want =
            static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), available_ - offset));
        const ssize_t n = ::pread(in.fd, chunk.data(), want, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          if (n < 0) return finish(JobState::failed, io_error("reading the input " + input_));
          return fail(ErrorCode::io_error, "the input " + input_ + " ends at byte " + std::to_string(offset) +
                                               ", before the " + std::to_string(available_) + " announced");
        }
        offset += static_cast<std::uint64_t>(n);
        if (!input.feed(std::string_view(chunk.data(), static_cast<std::size_t>(n)))) break;
        // After the last chunk the final progress rides in the finish frame instead.
        if (offset < available_ || !complete_) send_progress(job, input);
        handle_messages(0);
      } else if (complete_) {
        input_ended = true;
        break;
      } else {
        // Everything uploaded so far is parsed: wait for more (or a cancel).
        handle_messages(-1);
      }
    }
    if (cancelled_) {
      job.cancel();
    } else if (input_ended) {
      input.finish();
    }
    Result result = job.finish();
    sink.flush();
    if (result.state == JobState::done && !sink.error().empty()) {
      return fail(ErrorCode::io_error, "writing the output " + output_ + ": " + sink.error());
    }
    return finish(result.state, std::move(result.error), progress(job, input), result.summary.dump());
  }

  // Answers a job that ran out of memory; the caller has already unwound the Job.
  JobRunEnd out_of_memory() {
    JobRunEnd end = fail(ErrorCode::out_of_memory, "the job needed more memory than the worker's limit of " +
                                              std::to_string(config_.memory_limit_bytes) + " bytes");
    end.out_of_memory = true;
    return end;
  }

  JobRunEnd fail(ErrorCode code, std::string message) {
    return finish(JobState::failed, job_error(code, std::move(message)));
  }

 private:
  static JobError io_error(const std::string& what) {
    return job_error(ErrorCode::io_error, what + ": " + std::strerror(errno));
  }

  void handle_messages(int timeout_ms) {
    while (auto message = channel_.receive(timeout_ms)) {
      // A cancel or data for an earlier job (late: it had finished) needs nothing.
      if (std::holds_alternative<StopMessage>(*message)) {
        end_.stop_requested = true;
      } else if (const auto* cancel = std::get_if<CancelMessage>(&*message); cancel && cancel->id == id_) {
        cancelled_ = true;
      } else if (const auto* data = std::get_if<DataMessage>(&*message); data && data->id == id_) {
        available_ = std::max(available_, data->available);
        complete_ = data->complete;
      }
      // After one message, only pick up what else has already arrived.
      timeout_ms = 0;
    }
  }

  // At most one per progress_interval. A job whose first chunk was its last has only the
  // progress its finish frame carries.
  void send_progress(const Job& job, const decompress::JobInput& input) {
    const auto now = Clock::now();
    if (now - last_progress_ < config_.progress_interval) return;
    last_progress_ = now;
    channel_.send(encode(progress(job, input)));
  }

  // `bytes` are the spool's bytes read (compressed ones for a compressed upload), so that
  // they run against the upload's size, `total`.
  ProgressMessage progress(const Job& job, const decompress::JobInput& input) const {
    const Progress p = job.progress();
    ProgressMessage message;
    message.id = id_;
    message.bytes = input.bytes_read();
    if (complete_) message.total = available_;
    message.rows = p.rows;
    message.errors = p.errors;
    return message;
  }

  // `summary` is the summary's JSON text (empty: none).
  JobRunEnd finish(JobState state, std::optional<JobError> error,
                   std::optional<ProgressMessage> progress = std::nullopt, std::string summary = {}) {
    FinishMessage message;
    message.id = id_;
    message.state = state;
    message.error = std::move(error);
    message.process_ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    message.progress = std::move(progress);
    message.summary_text = std::move(summary);
    channel_.send(encode(message));
    return end_;
  }

  WorkerChannel& channel_;
  const WorkerConfig& config_;
  std::string& chunk_;
  Clock::time_point started_;
  Clock::time_point last_progress_{};  // so the first chunk of a longer job reports at once
  std::string id_, input_, output_;
  nlohmann::json options_;
  std::uint64_t available_ = 0;
  bool complete_ = false;
  bool cancelled_ = false;
  JobRunEnd end_;
};

}  // namespace

JobRunEnd run_job(const StartMessage& start, WorkerChannel& channel, const WorkerConfig& config,
                  std::string& chunk) {
  JobRun run(start, channel, config, chunk);
  try {
    return run.run();
  } catch (const std::bad_alloc&) {
    // The Job and its buffers are gone by now, so there is room to answer.
    return run.out_of_memory();
  } catch (const std::exception& e) {
    // The start message was checked when it was decoded; whatever else throws fails
    // the job, not the worker.
    return run.fail(ErrorCode::bad_request, e.what());
  }
}

}  // namespace fastthread::pool::detail
