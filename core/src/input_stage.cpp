#include "input_stage.hpp"

#include <algorithm>

#include "not_text.hpp"

namespace fastthread::detail {
namespace {

// Transcoding goes in slices of this many input bytes, so the offset map spans at most
// one slice beyond the record being parsed.
constexpr std::size_t kSliceBytes = 64 * 1024;

// Length of an Excel "sep=X" line (its line end included) at the start of `text`, or 0.
std::size_t sep_line_length(std::string_view text, bool is_complete) {
  if (text.size() < 5 || !text.starts_with("sep=")) return 0;
  const char d = text[4];
  if (d == '\r' || d == '\n' || d == '"' || static_cast<unsigned char>(d) >= 0x80) return 0;
  const std::string_view rest = text.substr(5);
  if (rest.starts_with("\r\n")) return 7;
  if (rest.starts_with("\n")) return 6;
  if (rest.empty() && is_complete) return 5;
  return 0;
}

}  // namespace

InputStage::InputStage(std::string_view head, bool is_complete, std::optional<Encoding> given,
                       bool sep_line_allowed, RowHandler& next)
    : next_(next), encoding_(detect_encoding(head, is_complete, given)) {
  not_text_ = describe_not_text(head, encoding_.encoding);
  if (not_text_) return;
  std::string_view text = head.substr(encoding_.bom_bytes);
  if (encoding_.encoding != Encoding::utf8) {
    // The head as the parser will see it; a code unit cut at its end is left out.
    Transcoder t(encoding_.encoding);
    OffsetMap scratch;
    t.feed(text, head_utf8_, scratch);
    text = head_utf8_;
    transcoder_.emplace(encoding_.encoding);
    in_skip_ = encoding_.bom_bytes;
    if (in_skip_ > 0) map_.add(static_cast<std::uint32_t>(in_skip_), 0);
  }
  if (const std::size_t sep = sep_line_allowed ? sep_line_length(text, is_complete) : 0; sep > 0) {
    sep_ = text[4];
    text.remove_prefix(sep);
    out_skip_ = sep + (transcoder_ ? 0 : encoding_.bom_bytes);
  }
  sniff_text_ = text;
}

void InputStage::describe(Detected& detected) const {
  detected.encoding = encoding_.encoding;
  detected.encoding_reason = encoding_.reason;
  detected.bom = encoding_.bom_bytes > 0;
  detected.confidence *= encoding_.confidence;
  detected.sep_line = sep_.has_value();
}

bool InputStage::feed(std::string_view input, Parser& parser) {
  if (!transcoder_) return deliver(input, parser);
  if (in_skip_ > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(in_skip_, input.size()));
    in_skip_ -= n;
    input.remove_prefix(n);
  }
  while (!input.empty()) {
    const std::string_view slice = input.substr(0, kSliceBytes);
    input.remove_prefix(slice.size());
    buffer_.clear();
    transcoder_->feed(slice, buffer_, map_);
    if (!deliver(buffer_, parser)) return false;
  }
  return true;
}

bool InputStage::finish(Parser& parser) {
  if (!transcoder_) return true;
  buffer_.clear();
  transcoder_->finish(buffer_, map_);
  return deliver(buffer_, parser);
}

bool InputStage::deliver(std::string_view utf8, Parser& parser) {
  if (out_seen_ < out_skip_) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out_skip_ - out_seen_, utf8.size()));
    out_seen_ += n;
    utf8.remove_prefix(n);
  }
  out_seen_ += utf8.size();
  return utf8.empty() || parser.feed(utf8);
}

std::uint64_t InputStage::input_offset(std::uint64_t parser_offset) {
  const std::uint64_t utf8_offset = parser_offset + out_skip_;
  return transcoder_ ? map_.input_offset(utf8_offset) : utf8_offset;
}

std::uint64_t InputStage::peek_input_offset(std::uint64_t parser_offset) const {
  const std::uint64_t utf8_offset = parser_offset + out_skip_;
  return transcoder_ ? map_.peek(utf8_offset) : utf8_offset;
}

Place InputStage::input_place(const Place& place) {
  return {place.row, place.line + (sep_ ? 1 : 0), input_offset(place.byte_offset)};
}

bool InputStage::on_row(std::span<const Field> fields, const Place& place) {
  return next_.on_row(fields, input_place(place));
}

// Messages that name a byte offset ("invalid UTF-8 at byte N") name it in input bytes too;
// for UTF-16 input such bytes can only come from invalid UTF-16, so the message says so.
// Only the digits the parser marked are rewritten: the rest of a message may quote the input.
bool InputStage::on_bad_row(const Issue& issue) {
  Issue mapped = issue;
  mapped.place = input_place(issue.place);
  if (mapped.named_offset) {
    Issue::NamedOffset& named = *mapped.named_offset;
    named.offset = peek_input_offset(named.offset);
    const std::string digits = std::to_string(named.offset);
    mapped.message.replace(named.at, named.digits, digits);
    named.digits = digits.size();
  }
  const bool utf16 = encoding_.encoding == Encoding::utf16le || encoding_.encoding == Encoding::utf16be;
  if (utf16 && mapped.code == ErrorCode::invalid_utf8) {
    constexpr std::string_view kInvalidUtf8 = "invalid UTF-8";
    if (mapped.message.starts_with(kInvalidUtf8)) {
      constexpr std::string_view kInvalidUtf16 = "invalid UTF-16 (a lone surrogate or a cut code unit)";
      mapped.message.replace(0, kInvalidUtf8.size(), kInvalidUtf16);
      if (mapped.named_offset) mapped.named_offset->at += kInvalidUtf16.size() - kInvalidUtf8.size();
    } else {
      mapped.message += "; in this UTF-16 input, a lone surrogate or a cut code unit";
    }
  }
  return next_.on_bad_row(mapped);
}

}  // namespace fastthread::detail
