#include "pool/frame.hpp"

namespace fastthread::pool {

std::string encode_frame(const Json& message) {
  std::string text = message.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  const auto n = static_cast<std::uint32_t>(text.size());
  std::string frame;
  frame.reserve(4 + text.size());
  frame.push_back(static_cast<char>(n >> 24));
  frame.push_back(static_cast<char>(n >> 16));
  frame.push_back(static_cast<char>(n >> 8));
  frame.push_back(static_cast<char>(n));
  frame += text;
  return frame;
}

std::variant<std::nullopt_t, Json, FrameError> FrameReader::next() {
  if (failed_) return FrameError{"the stream already had a bad frame"};
  auto fail = [this](std::string message) {
    failed_ = true;
    return FrameError{std::move(message)};
  };
  if (pending() < 4) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(buffer_.data() + start_);
  const std::uint64_t length = (std::uint64_t{p[0]} << 24) | (std::uint64_t{p[1]} << 16) |
                               (std::uint64_t{p[2]} << 8) | std::uint64_t{p[3]};
  if (length > max_) {
    return fail("frame of " + std::to_string(length) + " bytes is larger than the limit of " +
                std::to_string(max_));
  }
  if (pending() - 4 < length) return std::nullopt;
  std::string_view text(buffer_.data() + start_ + 4, static_cast<std::size_t>(length));
  Json message = Json::parse(text, nullptr, false);
  start_ += 4 + static_cast<std::size_t>(length);
  // Drop consumed bytes once they are the bigger part, so the buffer does not creep.
  if (start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  if (message.is_discarded()) return fail("frame is not valid JSON");
  if (!message.is_object()) return fail("frame is not a JSON object");
  auto op = message.find("op");
  if (op == message.end() || !op->is_string()) return fail("frame has no \"op\"");
  return message;
}

}  // namespace fastthread::pool
