#include "fastthread/value.hpp"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "calendar.hpp"
#include "classify_text.hpp"

namespace fastthread {

std::string_view to_string(ValueType type) {
  switch (type) {
    case ValueType::null:
      return "null";
    case ValueType::boolean:
      return "bool";
    case ValueType::int64:
      return "int64";
    case ValueType::float64:
      return "float64";
    case ValueType::date:
      return "date";
    case ValueType::datetime:
      return "datetime";
    case ValueType::string:
      return "string";
  }
  return "string";
}

ValueType promote(ValueType a, ValueType b) {
  if (a == b || b == ValueType::null) return a;
  if (a == ValueType::null) return b;
  const auto pair_is = [&](ValueType x, ValueType y) { return (a == x && b == y) || (a == y && b == x); };
  if (pair_is(ValueType::int64, ValueType::float64)) return ValueType::float64;
  if (pair_is(ValueType::date, ValueType::datetime)) return ValueType::datetime;
  return ValueType::string;
}

NullTokens NullTokens::defaults() {
  return {{"", "NA", "N/A", "null", "NULL", "None", "nan", "NaN"}};
}

bool NullTokens::contains(std::string_view text) const {
  for (const auto& token : tokens) {
    // Sizes, then first bytes, decide for nearly every value without a memcmp call.
    if (token.size() == text.size() && (text.empty() || token[0] == text[0]) && token == text) return true;
  }
  return false;
}

namespace {

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Reads exactly `count` digits at `s[at]`; false if any is not a digit.
constexpr bool read_digits(std::string_view s, std::size_t at, std::size_t count, unsigned& out) {
  if (at + count > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  out = v;
  return true;
}

Value make_string() {
  return Value{ValueType::string, 0, 0};
}

// Exact powers of ten up to 10^15: the divisors of the decimal fast path.
constexpr double kPowersOfTen[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// The common spellings, [+-]?digits and [+-]?digits.digits with at most 15 digits in all,
// in one pass. The value is what the general path below computes: an integer is exact,
// and a decimal of at most 15 digits is its digits (exact below 2^53) divided by an
// exact power of ten, one correctly rounded division, which is fast_float's own fast
// path (Clinger's), so the double is bit for bit the same. Anything else returns false.
bool classify_plain_number(std::string_view s, Value& out) {
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool negative = *p == '-';
  if (*p == '+' || *p == '-') ++p;
  const char* const int_start = p;
  std::uint64_t digits = 0;
  while (p < end && is_digit(*p)) digits = digits * 10 + static_cast<unsigned>(*p++ - '0');
  const auto int_digits = static_cast<std::size_t>(p - int_start);
  if (int_digits > 15 || (int_digits > 1 && *int_start == '0')) return false;
  if (p == end) {
    if (int_digits == 0) return false;
    const auto magnitude = static_cast<std::int64_t>(digits);
    const std::int64_t integer = negative ? -magnitude : magnitude;
    out = Value{ValueType::int64, integer, static_cast<double>(integer)};
    return true;
  }
  if (*p != '.') return false;
  const char* const frac_start = ++p;
  while (p < end && is_digit(*p)) digits = digits * 10 + static_cast<unsigned>(*p++ - '0');
  const auto frac_digits = static_cast<std::size_t>(p - frac_start);
  if (p != end || int_digits + frac_digits == 0 || int_digits + frac_digits > 15) return false;
  const double real = static_cast<double>(digits) / kPowersOfTen[frac_digits];
  out = Value{ValueType::float64, 0, negative ? -real : real};
  return true;
}

// The number grammar of value.hpp; `s` is not empty.
Value classify_number(std::string_view s) {
  if (Value fast; classify_plain_number(s, fast)) return fast;
  const std::size_t n = s.size();
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') ++i;
  const std::size_t int_start = i;
  while (i < n && is_digit(s[i])) ++i;
  const std::size_t int_digits = i - int_start;
  if (int_digits > 1 && s[int_start] == '0') return make_string();
  bool is_float = false;
  std::size_t frac_digits = 0;
  if (i < n && s[i] == '.') {
    is_float = true;
    const std::size_t start = ++i;
    while (i < n && is_digit(s[i])) ++i;
    frac_digits = i - start;
  }
  if (int_digits + frac_digits == 0) return make_string();
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    is_float = true;
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < n && is_digit(s[i])) ++i;
    if (i == start) return make_string();
  }
  if (i != n) return make_string();

  // Neither parser takes a leading '+'.
  const char* first = s.data() + (s[0] == '+' ? 1 : 0);
  const char* last = s.data() + n;
  if (!is_float) {
    std::int64_t integer = 0;
    const auto [ptr, ec] = std::from_chars(first, last, integer);
    if (ec == std::errc() && ptr == last) {
      return Value{ValueType::int64, integer, static_cast<double>(integer)};
    }
    // Out of int64 range: falls through to float64.
  }
  double real = 0;
  const auto result = fast_float::from_chars(first, last, real);
  if (result.ptr != last || !std::isfinite(real)) return make_string();
  return Value{ValueType::float64, 0, real};
}

// YYYY-MM-DD at the start of `s`; false unless it is a real calendar date.
bool parse_date(std::string_view s, std::int64_t& days) {
  unsigned y = 0, m = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  if (!read_digits(s, 0, 4, y) || !read_digits(s, 5, 2, m) || !read_digits(s, 8, 2, d)) return false;
  if (m < 1 || m > 12 || d < 1 || d > detail::days_in_month(y, m)) return false;
  days = detail::days_from_civil(y, m, d);
  return true;
}

// Z, +-HH:MM or +-HHMM at `s[at]` up to the end; the offset in seconds east of UTC.
bool parse_zone(std::string_view s, std::size_t at, std::int64_t& offset) {
  offset = 0;
  const std::size_t rest = s.size() - at;
  if (rest == 0) return true;
  if (rest == 1) return s[at] == 'Z';
  if (s[at] != '+' && s[at] != '-') return false;
  unsigned hh = 0, mm = 0;
  if (rest == 6) {
    if (s[at + 3] != ':' || !read_digits(s, at + 1, 2, hh) || !read_digits(s, at + 4, 2, mm)) return false;
  } else if (rest == 5) {
    if (!read_digits(s, at + 1, 2, hh) || !read_digits(s, at + 3, 2, mm)) return false;
  } else {
    return false;
  }
  if (hh > 23 || mm > 59) return false;
  offset = (s[at] == '-' ? -1 : 1) * static_cast<std::int64_t>(hh * 3600 + mm * 60);
  return true;
}

// The date/datetime rules of value.hpp; `s` starts with four digits and a '-'.
Value classify_temporal(std::string_view s) {
  std::int64_t days = 0;
  if (!parse_date(s, days)) return make_string();
  if (s.size() == 10) return Value{ValueType::date, days, static_cast<double>(days)};
  if (s.size() < 16 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':') return make_string();
  unsigned hh = 0, mm = 0, ss = 0;
  if (!read_digits(s, 11, 2, hh) || !read_digits(s, 14, 2, mm) || hh > 23 || mm > 59) return make_string();
  std::size_t i = 16;
  double fraction = 0;
  if (i < s.size() && s[i] == ':') {
    if (!read_digits(s, i + 1, 2, ss) || ss > 59) return make_string();
    i += 3;
    if (i < s.size() && s[i] == '.') {
      const std::size_t start = ++i;
      std::uint32_t digits = 0, scale = 1;
      while (i < s.size() && is_digit(s[i]) && i - start < 9) {
        digits = digits * 10 + static_cast<std::uint32_t>(s[i] - '0');
        scale *= 10;
        ++i;
      }
      if (i == start || (i < s.size() && is_digit(s[i]))) return make_string();
      fraction = static_cast<double>(digits) / static_cast<double>(scale);
    }
  }
  std::int64_t offset = 0;
  if (!parse_zone(s, i, offset)) return make_string();
  const std::int64_t whole = days * 86400 + hh * 3600 + mm * 60 + ss - offset;
  return Value{ValueType::datetime, whole, static_cast<double>(whole) + fraction};
}

bool looks_temporal(std::string_view s) {
  return s.size() >= 10 && s[4] == '-' && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) &&
         is_digit(s[3]);
}

Value classify_text(std::string_view s, const NullTokens& nulls) {
  if (nulls.contains(s)) return Value{};
  return detail::classify_non_null_text(s);
}

}  // namespace

namespace detail {

std::uint64_t null_token_lengths(const NullTokens& nulls) {
  std::uint64_t lengths = 0;
  for (const auto& token : nulls.tokens)
    lengths |= std::uint64_t{1} << std::min<std::size_t>(token.size(), 63);
  return lengths;
}

Value classify_non_null_text(std::string_view s) {
  if (s.empty()) return make_string();
  const char c = s[0];
  if (is_digit(c) || c == '+' || c == '-' || c == '.') {
    if (looks_temporal(s)) return classify_temporal(s);
    return classify_number(s);
  }
  if (c == 't' || c == 'T') {
    if (s == "true" || s == "True" || s == "TRUE") return Value{ValueType::boolean, 1, 1};
  } else if (c == 'f' || c == 'F') {
    if (s == "false" || s == "False" || s == "FALSE") return Value{ValueType::boolean, 0, 0};
  }
  return make_string();
}

}  // namespace detail

Value classify(const Field& field, const NullTokens& nulls, bool infer_types) {
  switch (field.kind) {
    case FieldKind::missing:
    case FieldKind::null:
      return Value{};
    case FieldKind::text:
      return infer_types ? classify_text(field.text, nulls) : make_string();
    case FieldKind::string:
      return infer_types && looks_temporal(field.text) ? classify_temporal(field.text) : make_string();
    case FieldKind::number:
      return infer_types && !field.text.empty() ? classify_number(field.text) : make_string();
    case FieldKind::boolean: {
      if (!infer_types) return make_string();
      const bool truth = field.text == "true";
      return Value{ValueType::boolean, truth ? 1 : 0, truth ? 1.0 : 0.0};
    }
    case FieldKind::json:
      return make_string();
  }
  return make_string();
}

namespace {

void append_digits(std::string& out, std::uint64_t value, int width) {
  char buf[20];
  int len = 0;
  do {
    buf[len++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0 || len < width);
  while (len > 0) out.push_back(buf[--len]);
}

void append_date(std::string& out, std::int64_t days) {
  const auto civil = detail::civil_from_days(days);
  append_digits(out, static_cast<std::uint64_t>(civil.year), 4);
  out.push_back('-');
  append_digits(out, civil.month, 2);
  out.push_back('-');
  append_digits(out, civil.day, 2);
}

// Days of 0000-01-01 and 9999-12-31: the years four digits can spell.
constexpr std::int64_t kFirstDay = detail::days_from_civil(0, 1, 1);
constexpr std::int64_t kLastDay = detail::days_from_civil(9999, 12, 31);

}  // namespace

std::string format_date(std::int64_t days) {
  if (days < kFirstDay || days > kLastDay) return {};
  std::string out;
  append_date(out, days);
  return out;
}

std::string format_datetime(double seconds) {
  if (!std::isfinite(seconds) || seconds < static_cast<double>(kFirstDay) * 86400.0 ||
      seconds >= static_cast<double>(kLastDay + 1) * 86400.0) {
    return {};
  }
  const auto millis = static_cast<std::int64_t>(std::llround(seconds * 1000.0));
  constexpr std::int64_t kMillisPerDay = 86400000;
  std::int64_t days = millis / kMillisPerDay;
  std::int64_t in_day = millis % kMillisPerDay;
  if (in_day < 0) {
    in_day += kMillisPerDay;
    --days;
  }
  if (days > kLastDay) return {};  // rounded up past the last millisecond
  std::string out;
  out.reserve(24);
  append_date(out, days);
  const auto ms = static_cast<std::uint64_t>(in_day);
  out.push_back('T');
  append_digits(out, ms / 3600000, 2);
  out.push_back(':');
  append_digits(out, ms / 60000 % 60, 2);
  out.push_back(':');
  append_digits(out, ms / 1000 % 60, 2);
  if (ms % 1000 != 0) {
    out.push_back('.');
    append_digits(out, ms % 1000, 3);
  }
  out.push_back('Z');
  return out;
}

}  // namespace fastthread
