// NDJSON framing: one record per line, and the factory for both JSON parsers.
#include <cstring>

#include "fastthread/parser.hpp"
#include "json_parser_base.hpp"
#include "json_bytes.hpp"

namespace fastthread {

namespace detail {
namespace {

// Lines are cut with memchr; a line inside one chunk is parsed in place, a line that
// straddles chunks is gathered in `carry_` (each byte copied once, so 1-byte chunks stay
// linear). A line longer than max_record_bytes (LF excluded, CR included) is reported as
// soon as it crosses the limit and skipped up to its LF without buffering.
class NdjsonParser final : public JsonParserBase {
 public:
  NdjsonParser(bool skip_bom, const Limits& limits, RowHandler& handler)
      : JsonParserBase(skip_bom, limits, handler, "end of line", "end of line after JSON value") {}

 private:
  bool consume(std::string_view chunk) override {
    const char* p = chunk.data();
    const char* end = p + chunk.size();
    const std::uint64_t base = offset_;
    offset_ += chunk.size();
    if (!started_) {
      started_ = true;
      line_start_ = base;  // past a skipped BOM
    }
    while (p < end) {
      const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      const char* stop = newline != nullptr ? newline : end;
      const std::size_t n = static_cast<std::size_t>(stop - p);
      if (!skipping_) {
        if (carry_.size() + n > limits_.max_record_bytes) {
          skipping_ = true;
          carry_.clear();
          const std::string message = "expected a line of at most " +
                                      std::to_string(limits_.max_record_bytes) +
                                      " bytes (max_record_bytes), found a longer one";
          if (!report(ErrorCode::record_too_large, message,
                      Place{++row_, line_, line_start_ + limits_.max_record_bytes})) {
            return false;
          }
        } else if (newline != nullptr && carry_.empty()) {
          if (!line(std::string_view(p, n))) return false;
        } else {
          carry_.append(p, n);
          if (newline != nullptr) {
            if (!line(carry_)) return false;
            carry_.clear();
          }
        }
      }
      if (newline == nullptr) break;
      skipping_ = false;
      ++line_;
      line_start_ = base + static_cast<std::uint64_t>(newline + 1 - chunk.data());
      p = newline + 1;
    }
    return true;
  }

  bool finish_records() override {
    if (skipping_ || carry_.empty()) return !stopped_;
    const bool go_on = line(carry_);
    carry_.clear();
    return go_on;
  }

  // One whole line (without its LF) that starts at line_start_.
  bool line(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && is_json_space(static_cast<unsigned char>(text[i]))) ++i;
    if (i == text.size()) return true;  // blank lines are no rows
    return emit_record(text, Place{++row_, line_, line_start_});
  }

  std::string carry_;
  bool skipping_ = false;
  bool started_ = false;
  std::uint64_t row_ = 0;
  std::uint64_t line_ = 1;
  std::uint64_t line_start_ = 0;
};

}  // namespace
}  // namespace detail

std::unique_ptr<Parser> make_json_parser(bool ndjson, bool skip_bom, const Limits& limits,
                                         RowHandler& handler) {
  if (!ndjson) return detail::make_json_array_parser(skip_bom, limits, handler);
  return std::make_unique<detail::NdjsonParser>(skip_bom, limits, handler);
}

}  // namespace fastthread
