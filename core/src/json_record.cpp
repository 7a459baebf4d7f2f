#include "json_record.hpp"

#include <cstring>

#include "json_bytes.hpp"

namespace fastthread::detail {

namespace {

const char* kind_of_value(char c) {
  switch (c) {
    case '[':
      return "an array";
    case '"':
      return "a string";
    case 't':
      return "true";
    case 'f':
      return "false";
    case 'n':
      return "null";
    default:
      return "a number";
  }
}

}  // namespace

JsonRecordParser::JsonRecordParser(const Limits& limits, Columns& columns, std::string_view end_name,
                                   std::string_view trailer)
    : limits_(limits), end_name_(end_name), trailer_(trailer), index_(columns, limits.max_columns) {}

bool JsonRecordParser::parse(std::string_view text, std::uint64_t base) {
  begin_ = p_ = text.data();
  end_ = begin_ + text.size();
  base_ = base;
  // Unescaped strings and compact array texts never outgrow their source, so scratch as
  // long as the record never reallocates and the views handed out stay valid.
  if (scratch_.size() < text.size()) scratch_.resize(text.size());
  if (key_scratch_.size() < text.size()) key_scratch_.resize(text.size());
  out_ = scratch_.data();
  ordinal_ = 0;
  path_.clear();
  skip_space();
  const char* start = p_;
  const bool object = p_ < end_ && *p_ == '{';
  bool ok = object ? parse_object() : write_value(1);
  if (ok) {
    skip_space();
    if (p_ != end_) ok = fail(ErrorCode::bad_json, p_, "expected " + trailer_ + ", found " + found(p_));
  }
  if (ok && !object)
    ok = fail(ErrorCode::not_an_object, start, std::string("expected an object, found ") + kind_of_value(*start));
  if (!ok) {
    clear_row();
    index_.rollback();
    fields_.resize(index_.size());
    return false;
  }
  index_.commit();
  return true;
}

void JsonRecordParser::clear_row() {
  for (std::uint32_t index : touched_) fields_[index] = Field{};
  touched_.clear();
}

// The record's object at p_, with every object nested in it flattened into dotted
// columns. Iterative, whatever the depth limit: parents_ holds, per enclosing object,
// the size path_ had before its key, so the C++ stack never grows with the nesting.
bool JsonRecordParser::parse_object() {
  parents_.clear();
  for (;;) {
    // p_ is at the '{' of an object that opens level parents_.size() + 1.
    const std::uint64_t depth = parents_.size() + 1;
    if (depth > limits_.max_json_depth) {
      return fail(ErrorCode::too_deep, p_,
                  "expected at most " + std::to_string(limits_.max_json_depth) +
                      " levels of nesting (max_json_depth), found '{' opening level " +
                      std::to_string(depth));
    }
    ++p_;
    skip_space();
    bool first = true;
    bool member = p_ == end_ || *p_ != '}';  // false: the object is empty, or a nested one just ended
    if (!member) {
      ++p_;
      if (!leave_object()) return true;
    }
    for (;;) {
      if (member) {
        if (p_ == end_ || *p_ != '"') {
          return fail(ErrorCode::bad_json, p_,
                      std::string(first ? "expected a string key or '}' in object"
                                        : "expected a string key after ','") +
                          ", found " + found(p_));
        }
        key_at_ = p_;
        std::string_view key;
        char* key_out = key_scratch_.data();
        if (!scan_string<false>(&key, key_out)) return false;
        skip_space();
        if (p_ == end_ || *p_ != ':')
          return fail(ErrorCode::bad_json, p_, "expected ':' after object key, found " + found(p_));
        ++p_;
        skip_space();
        if (p_ < end_ && *p_ == '{') {
          const char* q = p_ + 1;
          while (q < end_ && is_json_space(static_cast<unsigned char>(*q))) ++q;
          if (q < end_ && *q == '}' && parents_.size() + 1 < limits_.max_json_depth) {
            p_ = q + 1;
            if (!set_field(key, Field{"{}", FieldKind::json})) return false;
          } else {
            parents_.push_back(path_.size());
            path_.append(key);
            path_.push_back('.');
            break;  // to open the nested object
          }
        } else if (!parse_member_value(key)) {
          return false;
        }
      }
      // After a member of the innermost open object.
      skip_space();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        skip_space();
        first = false;
        member = true;
      } else if (p_ < end_ && *p_ == '}') {
        ++p_;
        if (!leave_object()) return true;
        member = false;
      } else {
        return fail(ErrorCode::bad_json, p_, "expected ',' or '}' after object member, found " + found(p_));
      }
    }
  }
}

// After an object's '}': false when it was the record's own object, else back in its parent.
bool JsonRecordParser::leave_object() {
  if (parents_.empty()) return false;
  path_.resize(parents_.back());
  parents_.pop_back();
  return true;
}

// A member value that is not an object: a scalar, or an array kept as its canonical text.
bool JsonRecordParser::parse_member_value(std::string_view key) {
  if (p_ == end_) return fail(ErrorCode::bad_json, p_, "expected a value, found " + found(p_));
  switch (*p_) {
    case '[': {
      char* start = out_;
      if (!write_value(parents_.size() + 2)) return false;
      return set_field(
          key, Field{std::string_view(start, static_cast<std::size_t>(out_ - start)), FieldKind::json});
    }
    case '"': {
      std::string_view text;
      if (!scan_string<false>(&text, out_)) return false;
      return set_field(key, Field{text, FieldKind::string});
    }
    case 't':
      return scan_literal("true") && set_field(key, Field{"true", FieldKind::boolean});
    case 'f':
      return scan_literal("false") && set_field(key, Field{"false", FieldKind::boolean});
    case 'n':
      return scan_literal("null") && set_field(key, Field{"null", FieldKind::null});
    default: {
      const char* start = p_;
      if (!scan_number()) return false;
      return set_field(
          key, Field{std::string_view(start, static_cast<std::size_t>(p_ - start)), FieldKind::number});
    }
  }
}

bool JsonRecordParser::set_field(std::string_view key, Field field) {
  const std::size_t old = path_.size();
  std::string_view name = key;
  if (old != 0) {
    path_.append(key);
    name = path_;
  }
  const std::uint32_t index = index_.find_or_add(name, ordinal_++);
  if (index == JsonColumnIndex::npos) {
    const std::string column(name);
    path_.resize(old);
    fail(ErrorCode::too_many_columns, key_at_,
         "expected at most " + std::to_string(limits_.max_columns) +
             " columns (max_columns), found new column '" + column + "'");
    problem_.column = column;
    return false;
  }
  path_.resize(old);
  if (index >= fields_.size()) fields_.resize(index + 1);
  if (fields_[index].kind == FieldKind::missing) touched_.push_back(index);
  fields_[index] = field;
  return true;
}

// Writes the value at p_ in canonical compact form to out_ (arrays, objects inside arrays,
// and a record that is not an object, which is checked before it is refused). A container
// at p_ opens level `depth`. Iterative: closes_ holds the closing bracket of every
// container still open, innermost last.
bool JsonRecordParser::write_value(std::uint64_t depth) {
  closes_.clear();
  for (;;) {
    if (p_ == end_) return fail(ErrorCode::bad_json, p_, "expected a value, found " + found(p_));
    if (*p_ == '"') {
      if (!scan_string<true>(nullptr, out_)) return false;
    } else if (*p_ == '[' || *p_ == '{') {
      const char close = *p_ == '{' ? '}' : ']';
      const std::uint64_t level = depth + closes_.size();
      if (level > limits_.max_json_depth) {
        return fail(ErrorCode::too_deep, p_,
                    "expected at most " + std::to_string(limits_.max_json_depth) +
                        " levels of nesting (max_json_depth), found '" + *p_ + "' opening level " +
                        std::to_string(level));
      }
      *out_++ = *p_++;
      skip_space();
      if (p_ == end_ || *p_ != close) {
        closes_.push_back(close);
        if (close == '}' && !write_key(true)) return false;
        continue;  // to the container's first value
      }
      *out_++ = *p_++;
    } else if (!write_scalar()) {
      return false;
    }
    // A value is complete: close the containers it completes, up to the next value.
    for (;;) {
      if (closes_.empty()) return true;
      skip_space();
      const char close = closes_.back();
      if (p_ < end_ && *p_ == ',') {
        *out_++ = *p_++;
        skip_space();
        if (close == '}' && !write_key(false)) return false;
        break;
      }
      if (p_ < end_ && *p_ == close) {
        *out_++ = *p_++;
        closes_.pop_back();
        continue;
      }
      return fail(ErrorCode::bad_json, p_,
                  std::string(close == '}' ? "expected ',' or '}' after object member"
                                           : "expected ',' or ']' after array element") +
                      ", found " + found(p_));
    }
  }
}

// Writes `"key":` of a member inside an array's text; p_ is then at the member's value.
bool JsonRecordParser::write_key(bool first) {
  if (p_ == end_ || *p_ != '"') {
    return fail(
        ErrorCode::bad_json, p_,
        std::string(first ? "expected a string key or '}' in object" : "expected a string key after ','") +
            ", found " + found(p_));
  }
  if (!scan_string<true>(nullptr, out_)) return false;
  skip_space();
  if (p_ == end_ || *p_ != ':')
    return fail(ErrorCode::bad_json, p_, "expected ':' after object key, found " + found(p_));
  *out_++ = *p_++;
  skip_space();
  return true;
}

// Writes the number or literal at p_ (which is not at the end).
bool JsonRecordParser::write_scalar() {
  switch (*p_) {
    case 't':
    case 'f':
    case 'n': {
      const std::string_view word = *p_ == 't' ? "true" : *p_ == 'f' ? "false" : "null";
      if (!scan_literal(word)) return false;
      std::memcpy(out_, word.data(), word.size());
      out_ += word.size();
      return true;
    }
    default: {
      const char* start = p_;
      if (!scan_number()) return false;
      std::memcpy(out_, start, static_cast<std::size_t>(p_ - start));
      out_ += p_ - start;
      return true;
    }
  }
}

// Scans the string at p_. Canonical: writes it, quoted, in canonical form at `out`.
// Otherwise *result is its unescaped text: a view into the record when it has no escapes,
// else written at `out`. `out` is advanced past what was written.
template <bool Canonical>
bool JsonRecordParser::scan_string(std::string_view* result, char*& out) {
  const char* s = p_ + 1;
  const char* run = s;  // start of the bytes not yet copied to out
  char* o = out;
  bool copying = Canonical;
  if constexpr (Canonical) *o++ = '"';
  for (;;) {
    while (end_ - s >= 8 && is_plain_word(s)) s += 8;
    unsigned char c = 0;
    while (s < end_) {
      c = static_cast<unsigned char>(*s);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++s;
    }
    if (s == end_) return fail(ErrorCode::bad_json, s, "unterminated string: expected '\"', found " + end_name_);
    if (c == '"') break;
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence_length(reinterpret_cast<const unsigned char*>(s),
                                                 reinterpret_cast<const unsigned char*>(end_));
      if (n == 0)
        return fail(ErrorCode::invalid_utf8, s, "expected UTF-8 text in string, found invalid " + describe_byte(c));
      s += n;
      continue;
    }
    if (c < 0x20)
      return fail(
          ErrorCode::bad_json, s,
          "expected text or an escape in string, found unescaped control character " + describe_byte(c));
    copying = true;
    std::memcpy(o, run, static_cast<std::size_t>(s - run));
    o += s - run;
    if (!scan_escape(s, o, Canonical)) return false;
    run = s;
  }
  if (copying) {
    std::memcpy(o, run, static_cast<std::size_t>(s - run));
    o += s - run;
    if constexpr (Canonical) *o++ = '"';
    if (result != nullptr) *result = std::string_view(out, static_cast<std::size_t>(o - out));
    out = o;
  } else if (result != nullptr) {
    *result = std::string_view(p_ + 1, static_cast<std::size_t>(s - (p_ + 1)));
  }
  p_ = s + 1;
  return true;
}

// Decodes the escape at `s` (a backslash), writes it to `out` (raw UTF-8, or canonical
// form), and moves `s` past it.
bool JsonRecordParser::scan_escape(const char*& s, char*& out, bool canonical) {
  char decoded = 0;
  switch (s + 1 < end_ ? s[1] : '\0') {
    case '"':
      decoded = '"';
      break;
    case '\\':
      decoded = '\\';
      break;
    case '/':
      decoded = '/';
      break;
    case 'b':
      decoded = '\b';
      break;
    case 'f':
      decoded = '\f';
      break;
    case 'n':
      decoded = '\n';
      break;
    case 'r':
      decoded = '\r';
      break;
    case 't':
      decoded = '\t';
      break;
    case 'u': {
      auto hex4 = [&](const char* at, std::uint32_t& value) {
        value = 0;
        for (int k = 0; k < 4; ++k) {
          const int digit = at + k < end_ ? hex_value(at[k]) : -1;
          if (digit < 0)
            return fail(ErrorCode::bad_json, at + k, "expected 4 hex digits after '\\u', found " + found(at + k));
          value = value * 16 + static_cast<std::uint32_t>(digit);
        }
        return true;
      };
      std::uint32_t cp;
      if (!hex4(s + 2, cp)) return false;
      const std::string spelled = "\\u" + std::string(s + 2, 4);
      if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return fail(
            ErrorCode::bad_json, s,
            "expected a high surrogate \\uD800-\\uDBFF before low surrogate " + spelled + ", found none");
      }
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        const char* t = s + 6;
        if (end_ - t < 2 || t[0] != '\\' || t[1] != 'u') {
          return fail(ErrorCode::bad_json, t,
                      "expected a low surrogate \\uDC00-\\uDFFF after " + spelled + ", found " + found(t));
        }
        std::uint32_t low;
        if (!hex4(t + 2, low)) return false;
        if (low < 0xDC00 || low > 0xDFFF) {
          return fail(ErrorCode::bad_json, t,
                      "expected a low surrogate \\uDC00-\\uDFFF after " + spelled + ", found \\u" +
                          std::string(t + 2, 4));
        }
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        s = t + 6;
      } else {
        s += 6;
      }
      out = cp < 0x80 && canonical ? write_canonical_ascii(out, static_cast<unsigned char>(cp))
                                   : write_utf8(out, cp);
      return true;
    }
    default:
      return fail(ErrorCode::bad_json, s + 1,
                  "expected one of \" \\ / b f n r t u after '\\' in string, found " + found(s + 1));
  }
  s += 2;
  if (canonical) {
    out = write_canonical_ascii(out, static_cast<unsigned char>(decoded));
  } else {
    *out++ = decoded;
  }
  return true;
}

bool JsonRecordParser::scan_number() {
  const char* s = p_;
  if (*s == '-') {
    ++s;
    if (s == end_ || !is_digit(static_cast<unsigned char>(*s))) {
      return fail(ErrorCode::bad_json, s, "expected a digit after '-' in number, found " + found(s));
    }
  } else if (!is_digit(static_cast<unsigned char>(*s))) {
    return fail(ErrorCode::bad_json, s, "expected a value, found " + found(s));
  }
  auto digits = [&] {
    while (s < end_ && is_digit(static_cast<unsigned char>(*s))) ++s;
  };
  if (*s == '0') {
    ++s;
    if (s < end_ && is_digit(static_cast<unsigned char>(*s))) {
      return fail(ErrorCode::bad_json, s,
                  "expected '.', 'e' or the end of the number after a leading '0', found " + found(s));
    }
  } else {
    digits();
  }
  if (s < end_ && *s == '.') {
    ++s;
    if (s == end_ || !is_digit(static_cast<unsigned char>(*s))) {
      return fail(ErrorCode::bad_json, s, "expected a digit after '.' in number, found " + found(s));
    }
    digits();
  }
  if (s < end_ && (*s == 'e' || *s == 'E')) {
    ++s;
    if (s < end_ && (*s == '+' || *s == '-')) ++s;
    if (s == end_ || !is_digit(static_cast<unsigned char>(*s))) {
      return fail(ErrorCode::bad_json, s, "expected a digit in the exponent of number, found " + found(s));
    }
    digits();
  }
  p_ = s;
  return true;
}

bool JsonRecordParser::scan_literal(std::string_view word) {
  for (std::size_t k = 0; k < word.size(); ++k) {
    if (p_ + k >= end_ || p_[k] != word[k]) {
      return fail(ErrorCode::bad_json, p_ + k, "expected '" + std::string(word) + "', found " + found(p_ + k));
    }
  }
  p_ += word.size();
  return true;
}

void JsonRecordParser::skip_space() {
  while (p_ < end_ && is_json_space(static_cast<unsigned char>(*p_))) ++p_;
}

bool JsonRecordParser::fail(ErrorCode code, const char* at, std::string message) {
  problem_.code = code;
  problem_.message = std::move(message);
  problem_.offset = base_ + static_cast<std::uint64_t>(at - begin_);
  problem_.column.clear();
  return false;
}

std::string JsonRecordParser::found(const char* at) const {
  return at >= end_ ? end_name_ : describe_byte(static_cast<unsigned char>(*at));
}

}  // namespace fastthread::detail
