// JSON framing: a top-level array of objects (or one object), cut into elements.
#include <array>
#include <string>

#include "json_parser_base.hpp"
#include "json_bytes.hpp"

namespace fastthread::detail {

namespace {

constexpr std::string_view kRestSkipped = "; the rest of the input is not parsed";

// Bytes the element scanner must look at, outside and inside strings.
constexpr auto make_table(std::string_view bytes) {
  std::array<std::uint8_t, 256> table{};
  for (char c : bytes) table[static_cast<unsigned char>(c)] = 1;
  return table;
}
constexpr auto kStructural = make_table("\"{}[]\n");
constexpr auto kStringStop = make_table("\"\\\n");

bool starts_value(unsigned char c) {
  return c == '"' || c == '-' || is_digit(c) || c == 't' || c == 'f' || c == 'n';
}

// A resumable scanner finds where each element ends by matching brackets outside strings
// (a stack of open brackets, up to the depth limit); the element, whole in one chunk or
// gathered in `carry_`, then goes to the record parser. So a bad element (bad token, bad
// UTF-8, not an object, too deep, too large) is reported and parsing resumes at the next
// one. When the structure itself breaks (a closing bracket that does not match, or no
// ',' between elements) elements can no longer be found reliably: that is reported once,
// its message ending with kRestSkipped, and the rest of the input is ignored.
// Stray ',' ':' '}' where an element should start are reported (one bad row each) and
// skipped; a trailing comma is reported and the array still closes.
class JsonArrayParser final : public JsonParserBase {
 public:
  JsonArrayParser(bool skip_bom, const Limits& limits, RowHandler& handler)
      : JsonParserBase(skip_bom, limits, handler, "end of input", "',' or ']' after array element") {}

 private:
  enum class Top : std::uint8_t { start, first, after, next, done, dead };
  enum class Scan : std::uint8_t { incomplete, complete, mismatch };

  bool consume(std::string_view chunk) override {
    begin_ = chunk.data();
    base_ = offset_;
    offset_ += chunk.size();
    const char* p = begin_;
    const char* end = p + chunk.size();
    while (p < end && top_ != Top::dead) {
      if (in_element_) {
        if (!continue_element(p, end)) return false;
        continue;
      }
      const unsigned char c = static_cast<unsigned char>(*p);
      if (is_json_space(c)) {
        if (c == '\n') ++line_;
        ++p;
        continue;
      }
      if (!top_byte(p)) return false;
    }
    return true;
  }

  std::uint64_t at(const char* p) const { return base_ + static_cast<std::uint64_t>(p - begin_); }

  // A byte outside any element that is not whitespace.
  bool top_byte(const char*& p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    const Place here{row_ + 1, line_, at(p)};
    switch (top_) {
      case Top::start:
        if (c == '[') {
          top_ = Top::first;
          ++p;
          return true;
        }
        if (c == '{') {
          single_ = true;
          begin_element(p);
          return true;
        }
        top_ = Top::dead;
        ++row_;
        return report(starts_value(c) ? ErrorCode::not_an_object : ErrorCode::bad_json,
                      "expected '[' or '{' at the start of the input, found " + describe_byte(c) +
                          std::string(kRestSkipped),
                      here);
      case Top::first:
      case Top::next:
        if (c == ']') {
          const bool trailing_comma = top_ == Top::next;
          top_ = Top::done;
          ++p;
          if (!trailing_comma) return true;
          ++row_;
          return report(ErrorCode::bad_json, "expected a value after ',' in array, found ']'", here);
        }
        if (c == ',' || c == ':' || c == '}') {
          ++p;
          ++row_;
          return report(ErrorCode::bad_json,
                        std::string(top_ == Top::first ? "expected a value or ']' in array"
                                                       : "expected a value after ',' in array") +
                            ", found " + describe_byte(c),
                        here);
        }
        begin_element(p);
        return true;
      case Top::after:
        if (c == ',' || c == ']') {
          top_ = c == ',' ? Top::next : Top::done;
          ++p;
          return true;
        }
        top_ = Top::dead;
        ++row_;
        return report(
            ErrorCode::bad_json,
            "expected ',' or ']' after array element, found " + describe_byte(c) + std::string(kRestSkipped),
            here);
      case Top::done:
        top_ = Top::dead;
        ++row_;
        return report(ErrorCode::bad_json,
                      std::string("expected end of input after the top-level ") +
                          (single_ ? "object" : "array") + ", found " + describe_byte(c),
                      here);
      case Top::dead:
        break;
    }
    return true;
  }

  void begin_element(const char* p) {
    const char c = *p;
    in_element_ = true;
    scalar_ = c != '{' && c != '[' && c != '"';
    skipping_ = false;
    in_string_ = false;
    escape_ = false;
    depth_ = 0;
    stack_.clear();
    carry_.clear();
    element_ = Place{++row_, line_, at(p)};
  }

  // Scans from p; once the element is complete, parses it and reports it.
  bool continue_element(const char*& p, const char* end) {
    const char* from = p;
    const Scan scan = scalar_ ? scan_scalar(p, end) : scan_nested(p, end);
    const std::uint64_t length = at(p) - element_.byte_offset;
    if (!skipping_ && length > limits_.max_record_bytes) {
      skipping_ = true;
      carry_.clear();
      const std::string message = "expected an array element of at most " +
                                  std::to_string(limits_.max_record_bytes) +
                                  " bytes (max_record_bytes), found a longer one";
      const Place place{element_.row, element_.line, element_.byte_offset + limits_.max_record_bytes};
      if (!report(ErrorCode::record_too_large, message, place)) return false;
    }
    if (scan == Scan::incomplete) {
      if (!skipping_) carry_.append(from, static_cast<std::size_t>(p - from));
      return true;
    }
    in_element_ = false;
    top_ = scan == Scan::mismatch ? Top::dead : single_ ? Top::done : Top::after;
    if (skipping_) {
      if (scan == Scan::complete) return true;
      return report(ErrorCode::bad_json,
                    std::string("expected '") + expected_close_ + "', found '" + p[-1] + "'" +
                        std::string(kRestSkipped),
                    Place{element_.row, element_.line, at(p - 1)});
    }
    std::string_view text(from, static_cast<std::size_t>(p - from));
    if (!carry_.empty()) {
      carry_.append(text);
      text = carry_;
    }
    // A bare scalar ends at the byte after it, which the record parser does not see.
    record_.set_end_name(scalar_ && p < end ? describe_byte(static_cast<unsigned char>(*p)) : "end of input");
    bool go_on;
    if (scan == Scan::complete) {
      go_on = emit_record(text, element_);
    } else if (record_.parse(text, element_.byte_offset)) {
      record_.clear_row();  // cannot happen: a prefix ending in a mismatched bracket is never valid
      go_on = report(ErrorCode::bad_json, "expected matching brackets" + std::string(kRestSkipped), element_);
    } else {
      go_on = report_problem(element_, kRestSkipped);
    }
    carry_.clear();
    return go_on;
  }

  // An element that starts with '{', '[' or '"': ends at its closing bracket or quote.
  Scan scan_nested(const char*& p, const char* end) {
    while (p < end) {
      if (in_string_) {
        if (escape_) {
          escape_ = false;
          if (*p++ == '\n') ++line_;
          continue;
        }
        while (p < end && kStringStop[static_cast<unsigned char>(*p)] == 0) ++p;
        if (p == end) break;
        const char c = *p++;
        if (c == '\n') {
          ++line_;
        } else if (c == '\\') {
          escape_ = true;
        } else if (c == '"') {
          in_string_ = false;
          if (depth_ == 0) return Scan::complete;
        }
        continue;
      }
      while (p < end && kStructural[static_cast<unsigned char>(*p)] == 0) ++p;
      if (p == end) break;
      const char c = *p++;
      switch (c) {
        case '"':
          in_string_ = true;
          break;
        case '\n':
          ++line_;
          break;
        case '{':
        case '[':
          if (stack_.size() <= limits_.max_json_depth) stack_.push_back(c);
          ++depth_;
          break;
        case '}':
        case ']':
          if (depth_ <= stack_.size()) {
            const char open = stack_.back();
            stack_.pop_back();
            if ((open == '{') != (c == '}')) {
              expected_close_ = open == '{' ? '}' : ']';
              return Scan::mismatch;
            }
          }
          if (--depth_ == 0) return Scan::complete;
          break;
        default:
          break;
      }
    }
    return Scan::incomplete;
  }

  // Any other element (a number, a literal, or garbage): ends before whitespace or a
  // structural byte. Its first byte is never one of those (see top_byte).
  Scan scan_scalar(const char*& p, const char* end) {
    while (p < end) {
      const unsigned char c = static_cast<unsigned char>(*p);
      if (is_json_space(c) || c == ',' || c == ']' || c == '}' || c == '[' || c == '{' || c == '"') {
        return Scan::complete;
      }
      ++p;
    }
    return Scan::incomplete;
  }

  bool finish_records() override {
    if (in_element_) {
      in_element_ = false;
      record_.set_end_name("end of input");
      if (skipping_) {
        top_ = Top::dead;
        return report(ErrorCode::bad_json, "expected the end of the array element, found end of input",
                      Place{element_.row, element_.line, offset_});
      }
      if (!scalar_) {
        // Unclosed: the record parser names what is missing.
        top_ = Top::dead;
        if (!record_.parse(carry_, element_.byte_offset)) return report_problem(element_);
        record_.clear_row();
        return report(ErrorCode::bad_json, "expected the end of the array element, found end of input", element_);
      }
      top_ = Top::after;
      if (!emit_record(carry_, element_)) return false;
    }
    const Place here{row_ + 1, line_, offset_};
    const char* expected = top_ == Top::first   ? "expected a value or ']' in array"
                           : top_ == Top::next  ? "expected a value after ',' in array"
                           : top_ == Top::after ? "expected ',' or ']' after array element"
                                                : nullptr;
    if (expected == nullptr) return !stopped_;
    ++row_;
    return report(ErrorCode::bad_json, std::string(expected) + ", found end of input", here);
  }

  Top top_ = Top::start;
  bool single_ = false;      // the input is one object, not an array
  bool in_element_ = false;  // inside an element, which began at element_
  bool scalar_ = false;
  bool skipping_ = false;  // the element passed max_record_bytes: scanned, not kept
  bool in_string_ = false;
  bool escape_ = false;
  char expected_close_ = 0;
  std::uint64_t depth_ = 0;
  std::string stack_;  // open brackets of the element, up to max_json_depth + 1
  std::string carry_;  // the element so far when it straddles chunks
  Place element_;
  std::uint64_t row_ = 0;
  std::uint64_t line_ = 1;
  const char* begin_ = nullptr;  // the chunk being consumed, which starts at offset base_
  std::uint64_t base_ = 0;
};

}  // namespace

std::unique_ptr<Parser> make_json_array_parser(bool skip_bom, const Limits& limits, RowHandler& handler) {
  return std::make_unique<JsonArrayParser>(skip_bom, limits, handler);
}

}  // namespace fastthread::detail
