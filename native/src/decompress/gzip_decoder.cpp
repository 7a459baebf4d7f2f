// gzip (RFC 1952) with zlib, members one after another as `cat a.gz b.gz` makes them:
// gzip -d reads such a file as one stream, and so do we.
#include <zlib.h>

#include <string>

#include "decompress/decoder.hpp"

namespace fastthread::decompress {
namespace {

// 15 + 16: the largest window, and a gzip header and trailer (not zlib's, not raw).
constexpr int kGzipWindowBits = 15 + 16;

class GzipDecoder final : public Decoder {
 public:
  GzipDecoder() {
    if (inflateInit2(&z_, kGzipWindowBits) != Z_OK) throw std::bad_alloc();
  }
  ~GzipDecoder() override { inflateEnd(&z_); }

 private:
  bool decode(std::string_view block, std::uint64_t offset, const Sink& sink) override {
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
    z_.avail_in = static_cast<uInt>(block.size());
    bool output_full = false;
    // Until the block is used up and zlib holds no more output for a full piece.
    while (z_.avail_in > 0 || output_full) {
      const std::uint64_t at = offset + (block.size() - z_.avail_in);
      if (member_ended_) {
        if (z_.avail_in == 0) break;
        inflateReset(&z_);
        member_ended_ = false;
        member_start_ = at;
        ++members_;
      }
      const auto space = room();
      z_.next_out = reinterpret_cast<Bytef*>(space.data());
      z_.avail_out = static_cast<uInt>(space.size());
      const int rc = inflate(&z_, Z_NO_FLUSH);
      const std::size_t made = space.size() - z_.avail_out;
      const std::uint64_t now = offset + (block.size() - z_.avail_in);
      if (rc == Z_STREAM_END) {
        member_ended_ = true;
      } else if (rc == Z_BUF_ERROR) {
        // No progress was possible: zlib needs the next block.
        if (made == 0 && now == at) break;
      } else if (rc != Z_OK) {
        // The bytes before the fault are kept, for the job to read.
        if (produced(made, now, sink)) return fail(corrupt(now, rc));
        return false;
      }
      output_full = z_.avail_out == 0;
      if (!produced(made, now, sink)) return false;
    }
    // Never drop input quietly: zlib takes all of a block while it has room to write.
    if (z_.avail_in > 0) {
      return fail("the gzip decoder stopped at compressed byte " +
                  std::to_string(offset + (block.size() - z_.avail_in)) + " with input left");
    }
    return true;
  }

  std::optional<std::string> unfinished(std::uint64_t end) const override {
    if (member_ended_) return std::nullopt;
    return "the gzip data is truncated: it ends at compressed byte " + std::to_string(end) +
           " inside the gzip member that starts at compressed byte " + std::to_string(member_start_);
  }

  std::string corrupt(std::uint64_t at, int rc) const {
    std::string why = z_.msg ? z_.msg : rc == Z_NEED_DICT ? "a preset dictionary is needed" : zError(rc);
    std::string text = "the gzip data is corrupt at compressed byte " + std::to_string(at) + " (" + why + ")";
    if (members_ > 0) {
      text += ", in what follows the gzip member that ends at compressed byte " + std::to_string(member_start_) +
              " (is something other than gzip appended?)";
    }
    return text;
  }

  z_stream z_{};
  bool member_ended_ = false;
  std::uint64_t member_start_ = 0;
  std::uint64_t members_ = 0;  // members begun after the first
};

}  // namespace

std::unique_ptr<Decoder> make_gzip_decoder() { return std::make_unique<GzipDecoder>(); }

}  // namespace fastthread::decompress
