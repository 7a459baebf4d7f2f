// Byte-level helpers for the JSON parser (internal): whitespace, string runs, escapes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "utf8.hpp"

namespace fastthread::detail {

inline bool is_json_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
inline bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

// True when none of the 8 bytes at `p` ends a plain string run: no '"', '\\', control
// character or non-ASCII byte. Lets the string scanner skip a word at a time.
inline bool is_plain_word(const char* p) {
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t high = 0x8080808080808080ull;
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  const std::uint64_t quote = w ^ (ones * '"');
  const std::uint64_t slash = w ^ (ones * '\\');
  // (x - ones) & ~x has a high bit set exactly when some byte of x is zero (or below n
  // for x - n*ones); bytes >= 0x80 are caught by `w` itself.
  const std::uint64_t special =
      ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | ((w - ones * 0x20) & ~w) | w;
  return (special & high) == 0;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The canonical spelling of an ASCII character inside a JSON string (see json_record.hpp).
inline char* write_canonical_ascii(char* out, unsigned char c) {
  const char* escape = nullptr;
  switch (c) {
    case '"':
      escape = "\\\"";
      break;
    case '\\':
      escape = "\\\\";
      break;
    case '\b':
      escape = "\\b";
      break;
    case '\f':
      escape = "\\f";
      break;
    case '\n':
      escape = "\\n";
      break;
    case '\r':
      escape = "\\r";
      break;
    case '\t':
      escape = "\\t";
      break;
    default:
      break;
  }
  if (escape != nullptr) {
    *out++ = escape[0];
    *out++ = escape[1];
  } else if (c < 0x20) {
    static constexpr char hex[] = "0123456789abcdef";
    std::memcpy(out, "\\u00", 4);
    out[4] = hex[c >> 4];
    out[5] = hex[c & 0xF];
    out += 6;
  } else {
    *out++ = static_cast<char>(c);
  }
  return out;
}

// How a message names a byte: 'x' when printable ASCII, else its hex value.
inline std::string describe_byte(unsigned char c) {
  if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
  static constexpr char hex[] = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[c >> 4] + hex[c & 0xF];
}

}  // namespace fastthread::detail
