#include "pool/frame.hpp"

namespace fastthread::pool {

std::string encode_frame(const Json& message, std::string_view attachment) {
  // The text goes straight into the frame after a placeholder for its length.
  std::string frame(4, '\0');
  nlohmann::detail::serializer<Json> serializer(nlohmann::detail::output_adapter<char>(frame), ' ',
                                                nlohmann::ordered_json::error_handler_t::replace);
  serializer.dump(message, false, false, 0);
  if (!attachment.empty()) {
    frame.push_back('\n');
    frame.append(attachment);
  }
  const auto n = static_cast<std::uint32_t>(frame.size() - 4);
  frame[0] = static_cast<char>(n >> 24);
  frame[1] = static_cast<char>(n >> 16);
  frame[2] = static_cast<char>(n >> 8);
  frame[3] = static_cast<char>(n);
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
  std::string_view attachment;
  bool attached = false;
  if (const auto newline = text.find('\n'); newline != std::string_view::npos) {
    attachment = text.substr(newline + 1);
    text = text.substr(0, newline);
    attached = true;
  }
  Json message = Json::parse(text, nullptr, false);
  // The attachment is what follows the newline, and nothing else: a text naming one of
  // its own would make two of them (or pass one off as the other).
  const bool names_attachment = message.is_object() && message.contains("attachment");
  if (attached && message.is_object() && !names_attachment) message["attachment"] = std::string(attachment);
  start_ += 4 + static_cast<std::size_t>(length);
  // Drop consumed bytes once they are the bigger part, so the buffer does not creep.
  if (start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  if (message.is_discarded()) return fail("frame is not valid JSON");
  if (!message.is_object()) return fail("frame is not a JSON object");
  if (names_attachment) return fail("frame has an \"attachment\" in its JSON: an attachment follows the newline");
  auto op = message.find("op");
  if (op == message.end() || !op->is_string()) return fail("frame has no \"op\"");
  return message;
}

}  // namespace fastthread::pool
