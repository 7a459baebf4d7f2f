// The bytes a host reads (a file, standard input, an upload's spool), fed to a Job: as
// they are, or decompressed when their first bytes are a gzip or zstd magic number. The
// one piece of input handling the CLI and the server's workers share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "decompress/decoder.hpp"
#include "fastthread/job.hpp"

namespace fastthread::decompress {

class JobInput {
 public:
  explicit JobInput(Job& job) : job_(job) {}

  // Bytes as read, in chunks of any size. false once the job has stopped (its own error,
  // a decompression limit, corrupt compressed data).
  bool feed(std::string_view bytes);
  // The input ended. Truncated compressed data fails the job. Not for a job being
  // cancelled or abandoned: its input did not end, it was cut.
  void finish();

  // Bytes read so far: the compressed ones when compressed. Progress counts these, so a
  // bar and an ETA against the file's size stay true.
  std::uint64_t bytes_read() const { return read_; }
  // nullopt until the first bytes have told.
  std::optional<Compression> compression() const { return codec_; }

 private:
  bool start(std::optional<Compression> codec);
  bool pass(std::string_view bytes);
  void stop();

  Job& job_;
  std::string head_;  // the first bytes, until they tell the codec
  std::optional<Compression> codec_;
  std::unique_ptr<Decoder> decoder_;
  std::uint64_t read_ = 0;
  bool stopped_ = false;
};

}  // namespace fastthread::decompress
