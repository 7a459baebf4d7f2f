// The job: one file from first byte to summary, the same API for every format and host.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fastthread/error.hpp"
#include "fastthread/format.hpp"
#include "fastthread/limits.hpp"
#include "fastthread/profile.hpp"
#include "fastthread/sink.hpp"
#include "fastthread/writer.hpp"

namespace fastthread {

struct JobOptions {
  std::string file_name;                   // used by the sniffer and shown in the summary
  std::optional<Format> format;            // nullopt: sniff ("auto")
  std::optional<char> delimiter;           // nullopt: sniff
  HeaderMode header = HeaderMode::automatic;
  std::string log_format;                  // not empty: an nginx/Apache log format string (implies log)
  std::optional<Encoding> encoding;        // nullopt: detect ("auto"); see docs/summary.md
  OutputFormat output = OutputFormat::ndjson;
  bool infer_types = true;
  NullTokens nulls = NullTokens::defaults();
  std::int64_t max_errors = 100;           // bad rows tolerated; the next one stops the job; -1: no limit
  std::uint32_t keep_errors = 20;          // first errors kept with their places in the summary
  std::uint32_t sniff_bytes = 64 * 1024;   // bytes read before format, dialect and header are decided
  std::uint32_t infer_rows = 1000;         // rows seen before output column types are fixed
  std::uint32_t cancel_check_rows = 4096;  // rows between cancel checks inside one chunk
  Limits limits;

  // Reads options from their JSON spelling (the protocol's "options" object); unknown
  // keys and bad values are errors whose message names the key.
  static std::optional<JobOptions> from_json(const nlohmann::json& json, std::string& error);
  nlohmann::ordered_json to_json() const;
};

enum class JobState : std::uint8_t { running, done, failed, cancelled };
std::string_view to_string(JobState state);

// How the host found the input compressed (docs/summary.md, file.compression).
enum class Compression : std::uint8_t { none, gzip, zstd };
std::string_view to_string(Compression compression);

struct Progress {
  std::uint64_t bytes = 0;   // bytes fed so far
  std::uint64_t rows = 0;    // good rows so far
  std::uint64_t errors = 0;  // bad rows so far
};

struct Result {
  JobState state = JobState::done;
  std::optional<JobError> error;
  nlohmann::ordered_json summary;  // as specified in docs/summary.md
};

// Feed it bytes in chunks of any size, then finish(). Output goes to `sink` as it is
// produced. cancel() may be called from another thread; feed() notices it at the next
// chunk and every `cancel_check_rows` rows inside one. After a stop (error or cancel)
// feed() returns false and ignores its input; finish() still returns the Result.
class Job {
 public:
  Job(JobOptions options, OutputSink& sink);
  ~Job();
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  bool feed(std::string_view chunk);
  Result finish();

  // For a host that decompresses the input before feeding it: the codec and how many
  // compressed bytes it has read so far. Call it before feeding the bytes they gave, and
  // before finish() with the final count. feed() then stops the job with too_large past
  // limits.max_decompressed_bytes or limits.max_expansion_ratio (rejecting that chunk),
  // the sniffer reads the file name without the codec's suffix, and the summary names both.
  void set_input_compression(Compression codec, std::uint64_t compressed_bytes);
  // Stops the job for a fault the host found in its input (truncated or corrupt compressed
  // data): it ends failed with this error. Ignored once the job has stopped.
  void fail(JobError error);
  Progress progress() const;
  void cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<bool> cancel_requested_{false};
};

}  // namespace fastthread
