// Framing of the messages between the master and its workers: a 4-byte big-endian length,
// then that many bytes: UTF-8 JSON text holding one object with an "op", optionally followed
// by a newline and an attachment of raw bytes. Compact JSON never holds a raw newline, so
// the first one ends the message. The attachment (a worker's summary, already JSON text)
// travels without being parsed on the way: the reader hands it out as the message's
// string "attachment".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace fastthread::pool {

// Frames carry ordered JSON so that a summary keeps the key order the core gave it.
using Json = nlohmann::ordered_json;

// Summaries can be big (many columns, samples), so the default limit is generous.
constexpr std::uint64_t kDefaultMaxFrameBytes = 64ull << 20;

// The frame for `message` (its compact JSON text after the length), with `attachment`
// after a newline when it is not empty. `message` must not have an "attachment" of its own.
std::string encode_frame(const Json& message, std::string_view attachment = {});

// Why a frame was refused. After an error the reader stays failed: the stream is out of
// step and the peer is not to be trusted any more.
struct FrameError {
  std::string message;
};

// Takes bytes as they arrive, in pieces of any size, and hands out whole messages.
class FrameReader {
 public:
  explicit FrameReader(std::uint64_t max_frame_bytes = kDefaultMaxFrameBytes) : max_(max_frame_bytes) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }

  // The next whole message (with its attachment, if any, as the string "attachment");
  // nullopt when more bytes are needed; a FrameError when the frame is larger than the
  // limit, is not JSON, is not an object, has no string "op", or names an "attachment" in
  // its JSON (the only attachment is the one after the newline).
  std::variant<std::nullopt_t, Json, FrameError> next();

  bool failed() const { return failed_; }
  // Bytes received but not yet handed out (a frame cut short at EOF leaves some).
  std::size_t pending() const { return buffer_.size() - start_; }

 private:
  std::uint64_t max_;
  std::string buffer_;
  std::size_t start_ = 0;  // first byte not yet consumed
  bool failed_ = false;
};

}  // namespace fastthread::pool
