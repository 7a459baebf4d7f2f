#include "decompress/decoder.hpp"

#include <algorithm>

namespace fastthread::decompress {
namespace {

constexpr std::string_view kGzipMagic = "\x1f\x8b";
constexpr std::string_view kZstdMagic = "\x28\xb5\x2f\xfd";

}  // namespace

std::optional<Compression> detect(std::string_view head, bool complete) {
  if (head.starts_with(kGzipMagic)) return Compression::gzip;
  if (head.starts_with(kZstdMagic)) return Compression::zstd;
  const bool may_become = kGzipMagic.starts_with(head) || kZstdMagic.starts_with(head);
  if (may_become && !complete) return std::nullopt;
  return Compression::none;
}

Decoder::Decoder() : out_(kBlockBytes, '\0') {}

bool Decoder::write(std::string_view compressed, const Sink& sink) {
  if (!error_.empty()) return false;
  while (!compressed.empty()) {
    // Whole blocks go to the codec straight from the caller's buffer, without a copy.
    if (pending_.empty() && compressed.size() >= kBlockBytes) {
      if (!decode_block(compressed.substr(0, kBlockBytes), sink)) return false;
      compressed.remove_prefix(kBlockBytes);
      continue;
    }
    const std::size_t take = std::min(kBlockBytes - pending_.size(), compressed.size());
    pending_.append(compressed.substr(0, take));
    compressed.remove_prefix(take);
    if (pending_.size() == kBlockBytes) {
      if (!decode_block(pending_, sink)) return false;
      pending_.clear();
    }
  }
  return true;
}

bool Decoder::finish(const Sink& sink) {
  if (!error_.empty()) return false;
  if (!pending_.empty()) {
    if (!decode_block(pending_, sink)) return false;
    pending_.clear();
  }
  // What was decoded before the cut still reaches the job, so its summary shows it.
  if (out_used_ > 0 && !sink(std::string_view(out_.data(), out_used_), offset_)) return false;
  out_used_ = 0;
  if (auto why = unfinished(offset_)) return fail(std::move(*why));
  return true;
}

bool Decoder::decode_block(std::string_view block, const Sink& sink) {
  const std::uint64_t start = offset_;
  offset_ += block.size();
  if (decode(block, start, sink)) return true;
  // What came out before corrupt data still reaches the job, as before a cut.
  if (!error_.empty() && out_used_ > 0) sink(std::string_view(out_.data(), out_used_), offset_);
  out_used_ = 0;
  return false;
}

bool Decoder::produced(std::size_t n, std::uint64_t compressed, const Sink& sink) {
  out_used_ += n;
  if (out_used_ < kBlockBytes) return true;
  out_used_ = 0;
  return sink(std::string_view(out_.data(), kBlockBytes), compressed);
}

bool Decoder::fail(std::string why) {
  error_ = std::move(why);
  return false;
}

std::unique_ptr<Decoder> make_decoder(Compression codec) {
  switch (codec) {
    case Compression::gzip: return make_gzip_decoder();
    case Compression::zstd: return make_zstd_decoder();
    case Compression::none: break;
  }
  return nullptr;
}

}  // namespace fastthread::decompress
