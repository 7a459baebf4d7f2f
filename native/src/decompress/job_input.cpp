#include "decompress/job_input.hpp"

namespace fastthread::decompress {

bool JobInput::feed(std::string_view bytes) {
  if (stopped_) return false;
  read_ += bytes.size();
  if (codec_) return pass(bytes);
  head_.append(bytes);
  if (!start(detect(head_, false))) return true;
  const std::string head = std::move(head_);
  head_.clear();
  return pass(head);
}

void JobInput::finish() {
  if (stopped_) return;
  if (!codec_) {
    start(detect(head_, true));
    const std::string head = std::move(head_);
    head_.clear();
    if (!pass(head)) return;
  }
  if (!decoder_) return;
  const bool ok = decoder_->finish([this](std::string_view piece, std::uint64_t compressed) {
    job_.set_input_compression(*codec_, compressed);
    return job_.feed(piece);
  });
  // Every byte was read (a truncated stream included): that is the summary's compressed_bytes.
  if (ok || !decoder_->error().empty()) job_.set_input_compression(*codec_, read_);
  if (!ok) stop();
}

bool JobInput::start(std::optional<Compression> codec) {
  codec_ = codec;
  if (!codec_ || *codec_ == Compression::none) return codec_.has_value();
  decoder_ = make_decoder(*codec_);
  // Named in the summary even if not one byte comes out.
  job_.set_input_compression(*codec_, 0);
  return true;
}

bool JobInput::pass(std::string_view bytes) {
  if (!decoder_) {
    if (bytes.empty() || job_.feed(bytes)) return true;
    stopped_ = true;
    return false;
  }
  const bool ok = decoder_->write(bytes, [this](std::string_view piece, std::uint64_t compressed) {
    job_.set_input_compression(*codec_, compressed);
    return job_.feed(piece);
  });
  if (!ok) stop();
  return ok;
}

// Corrupt or truncated data fails the job; a stop the job made itself needs nothing more.
// The compressed count stays the one of the last piece fed, whatever the host read past it.
void JobInput::stop() {
  stopped_ = true;
  if (!decoder_->error().empty()) job_.fail(JobError{ErrorCode::corrupt_input, decoder_->error(), std::nullopt});
}

}  // namespace fastthread::decompress
