// zstd with libzstd's streaming decoder, which reads frames one after another (and skips
// skippable frames) by itself.
#include <zstd.h>

#include <new>
#include <string>

#include "decompress/decoder.hpp"

namespace fastthread::decompress {
namespace {

class ZstdDecoder final : public Decoder {
 public:
  ZstdDecoder() : stream_(ZSTD_createDStream()) {
    if (!stream_) throw std::bad_alloc();
  }
  ~ZstdDecoder() override { ZSTD_freeDStream(stream_); }

 private:
  bool decode(std::string_view block, std::uint64_t offset, const Sink& sink) override {
    ZSTD_inBuffer in{block.data(), block.size(), 0};
    while (true) {
      const auto space = room();
      ZSTD_outBuffer out{space.data(), space.size(), 0};
      const std::size_t rc = ZSTD_decompressStream(stream_, &out, &in);
      const std::uint64_t now = offset + in.pos;
      if (ZSTD_isError(rc)) {
        if (!produced(out.pos, now, sink)) return false;
        return fail("the zstd data is corrupt at compressed byte " + std::to_string(now) + " (" +
                    ZSTD_getErrorName(rc) + ")");
      }
      // 0: a frame is decoded and flushed; the next bytes begin a new one (or nothing).
      if (rc == 0) frame_start_ = now;
      frame_open_ = rc != 0;
      const bool full = out.pos == out.size;
      if (!produced(out.pos, now, sink)) return false;
      if (in.pos == in.size && !full) return true;
    }
  }

  std::optional<std::string> unfinished(std::uint64_t end) const override {
    if (!frame_open_) return std::nullopt;
    return "the zstd data is truncated: it ends at compressed byte " + std::to_string(end) +
           " inside the zstd frame that starts at compressed byte " + std::to_string(frame_start_);
  }

  ZSTD_DStream* stream_;
  bool frame_open_ = true;  // a frame begins with the first byte
  std::uint64_t frame_start_ = 0;
};

}  // namespace

std::unique_ptr<Decoder> make_zstd_decoder() { return std::make_unique<ZstdDecoder>(); }

}  // namespace fastthread::decompress
