// What the job fuzzers share. A fuzz input is read as
//   [option byte A][option byte B][4 chunking bytes][the file]
// and the file runs through the Job API twice: in one chunk, and cut where the chunking
// bytes say. Split invariance is the core's promise, so output and summary must be the
// same byte for byte; a difference aborts (a finding), as does anything that throws.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/job.hpp"

namespace fastthread::fuzz {

struct FuzzInput {
  std::uint8_t a = 0;  // what each target makes of it (format, output, dialect, limits)
  std::uint8_t b = 0;  // options every job target reads the same way (common_options)
  std::uint32_t chunk_seed = 0;
  std::string_view file;
};

inline FuzzInput read_fuzz_input(const std::uint8_t* data, std::size_t size) {
  FuzzInput in;
  const auto* text = reinterpret_cast<const char*>(data);
  if (size < 6) {
    in.file = std::string_view(text, size);
    return in;
  }
  in.a = data[0];
  in.b = data[1];
  in.chunk_seed =
      std::uint32_t{data[2]} << 24 | std::uint32_t{data[3]} << 16 | std::uint32_t{data[4]} << 8 | data[5];
  in.file = std::string_view(text + 6, size - 6);
  return in;
}

// Option byte B: encoding (given or detected), how bad rows count, types, and sample
// sizes small enough that a chunk boundary falls inside the sniff sample and the
// rows that fix the output types.
inline void common_options(std::uint8_t b, JobOptions& options) {
  static constexpr Encoding kGiven[] = {Encoding::utf16le, Encoding::utf16be, Encoding::windows1252,
                                        Encoding::latin1};
  if ((b & 7) >= 4) options.encoding = kGiven[(b & 7) - 4];
  options.max_errors = (b & 8) != 0 ? 0 : -1;
  options.infer_types = (b & 16) == 0;
  if ((b & 32) != 0) options.sniff_bytes = 17;
  if ((b & 64) != 0) options.infer_rows = 1;
  if ((b & 128) != 0) options.keep_errors = 1;
}

// Chunk lengths from 1 byte to 4 KiB, mostly short, so that cuts fall inside tokens,
// BOMs, CRLFs, UTF-8 and UTF-16 sequences (xorshift32 over the seed).
inline std::vector<std::string_view> chunks_of(std::string_view file, std::uint32_t seed) {
  std::uint32_t state = seed * 2654435761u + 1;
  std::vector<std::string_view> chunks;
  while (!file.empty()) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    const std::size_t limit = std::size_t{1} << (state % 13);
    const std::size_t n = std::min<std::size_t>(file.size(), 1 + (state >> 4) % limit);
    chunks.push_back(file.substr(0, n));
    file.remove_prefix(n);
  }
  return chunks;
}

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  std::string out;
};

// The output, then the summary (timings aside) as the hosts send it: dump() throws on
// text that is not UTF-8, as the worker's does.
inline std::string run_job(const JobOptions& options, const std::vector<std::string_view>& chunks) {
  StringSink sink;
  Job job(options, sink);
  for (std::string_view chunk : chunks) {
    if (!job.feed(chunk)) break;
  }
  Result result = job.finish();
  result.summary.erase("timings");
  // A job its input stopped counts the bytes fed until then (docs/summary.md, file.bytes):
  // they end where the chunk that stopped it ended, so that count alone may differ.
  if (result.error && result.error->code == ErrorCode::parse_error) result.summary["file"].erase("bytes");
  return sink.out + "\n---\n" + result.summary.dump();
}

inline void expect_split_invariant(const JobOptions& options, const FuzzInput& in) {
  const std::string whole = run_job(options, {in.file});
  const std::string split = run_job(options, chunks_of(in.file, in.chunk_seed));
  if (whole == split) return;
  std::size_t at = 0;
  while (at < whole.size() && at < split.size() && whole[at] == split[at]) ++at;
  const std::size_t from = at < 200 ? 0 : at - 200;
  std::fprintf(stderr,
               "split invariance broken at byte %zu of the result\n--- one chunk:\n%s\n--- chunked:\n%s\n",
               at, whole.substr(from, 400).c_str(), split.substr(from, 400).c_str());
  std::abort();
}

}  // namespace fastthread::fuzz
