// Decompression of a host's input stream: gzip (zlib) and zstd (libzstd), found by their
// magic numbers, never by the file name. The core stays "bytes in": the host decodes and
// feeds the Job what comes out (see job_input.hpp).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "fastthread/job.hpp"

namespace fastthread::decompress {

// gzip starts 1F 8B, zstd 28 B5 2F FD. nullopt while `head` is too short to tell (it can
// still become a magic number and `complete` says more may come).
std::optional<Compression> detect(std::string_view head, bool complete);

// Receives decompressed bytes and how many compressed bytes had been read when they were
// complete; false stops the decoder.
using Sink = std::function<bool(std::string_view decompressed, std::uint64_t compressed)>;

// Takes compressed bytes in chunks of any size and hands out decompressed ones. The codec
// sees its input in blocks of kBlockBytes and the sink gets full kBlockBytes pieces (the
// last one excepted), so pieces and their compressed counts are the same however the host
// cut its reads: limits checked on them stop a job at the same place every time.
// Truncated or corrupt data is an error naming the compressed byte offset.
class Decoder {
 public:
  static constexpr std::size_t kBlockBytes = 64 * 1024;

  virtual ~Decoder() = default;
  // false on corrupt data (error() says why) or when the sink said stop (error() empty).
  bool write(std::string_view compressed, const Sink& sink);
  // The input ended: hands out the rest; false when the data stops inside a gzip member or
  // zstd frame, or the sink said stop.
  bool finish(const Sink& sink);
  const std::string& error() const { return error_; }

 protected:
  Decoder();
  // Decompresses all of `block` (compressed bytes from `offset` on) into output().
  virtual bool decode(std::string_view block, std::uint64_t offset, const Sink& sink) = 0;
  // Why the input may not end here (inside a member or frame), or nullopt.
  virtual std::optional<std::string> unfinished(std::uint64_t end) const = 0;

  // Room left in the output piece; produced() marks `n` bytes of it as written, handing the
  // piece to the sink once it is full.
  std::span<char> room() { return {out_.data() + out_used_, kBlockBytes - out_used_}; }
  bool produced(std::size_t n, std::uint64_t compressed, const Sink& sink);
  bool fail(std::string why);

 private:
  bool decode_block(std::string_view block, const Sink& sink);

  std::string pending_;  // compressed bytes short of a whole block
  std::uint64_t offset_ = 0;  // compressed bytes handed to decode()
  std::string out_;
  std::size_t out_used_ = 0;
  std::string error_;
};

// A decoder for `codec` (gzip or zstd).
std::unique_ptr<Decoder> make_decoder(Compression codec);
std::unique_ptr<Decoder> make_gzip_decoder();
std::unique_ptr<Decoder> make_zstd_decoder();

}  // namespace fastthread::decompress
