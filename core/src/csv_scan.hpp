// Byte-level helpers of the CSV parser: the special-byte search and quoted-field unescaping
// (internal).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace fastthread::detail {

static_assert(std::endian::native == std::endian::little, "the SWAR scan reads words little-endian");

// Three bytes to look for at once, each repeated in all eight lanes of a word.
struct CsvNeedles {
  std::uint64_t a, b, c;
  unsigned char ca, cb, cc;

  constexpr CsvNeedles(char x, char y, char z)
      : a(splat(x)), b(splat(y)), c(splat(z)), ca(byte(x)), cb(byte(y)), cc(byte(z)) {}

  static constexpr unsigned char byte(char x) { return static_cast<unsigned char>(x); }
  static constexpr std::uint64_t splat(char x) { return 0x0101010101010101ull * byte(x); }
};

// High bit set in every lane of `v` that is zero. Lanes above a true zero may be flagged
// falsely (borrow), never lanes below it, so the lowest flag is always exact.
inline std::uint64_t zero_lanes(std::uint64_t v) {
  return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

// First byte in [p, end) equal to one of the needles, or `end`. ORs every byte it reads into
// `high` (and possibly a few bytes past the match), so the caller learns cheaply whether a
// record may hold non-ASCII bytes that need UTF-8 validation.
inline const char* find_any(const char* p, const char* end, const CsvNeedles& n, std::uint64_t& high) {
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    high |= w;
    const std::uint64_t hits = zero_lanes(w ^ n.a) | zero_lanes(w ^ n.b) | zero_lanes(w ^ n.c);
    if (hits) return p + (std::countr_zero(hits) >> 3);
    p += 8;
  }
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    high |= c;
    if (c == n.ca || c == n.cb || c == n.cc) return p;
  }
  return end;
}

// Writes the content of the raw quoted field `raw` (it starts with the opening quote) to
// `out` and returns its length, which is never more than raw's. Inside the quotes a doubled
// quote is one quote; after the closing quote every byte, quotes included, is literal (the
// lenient reading of `"ab"cd` as `abcd`, as Python's csv module does).
inline std::size_t unescape_quoted(const char* raw, std::size_t size, char quote, char* out) {
  std::size_t w = 0;
  std::size_t i = 1;
  while (i < size) {
    const char c = raw[i];
    if (c != quote) {
      out[w++] = c;
      ++i;
    } else if (i + 1 < size && raw[i + 1] == quote) {
      out[w++] = quote;
      i += 2;
    } else {
      ++i;
      std::memcpy(out + w, raw + i, size - i);
      return w + (size - i);
    }
  }
  return w;
}

// Where in `raw` the byte that unescape_quoted() writes at `content_index` came from, so an
// error can name the byte offset in the input.
inline std::size_t unescaped_source_index(const char* raw, std::size_t size, char quote,
                                          std::size_t content_index) {
  std::size_t w = 0;
  std::size_t i = 1;
  while (i < size) {
    if (raw[i] != quote) {
      if (w == content_index) return i;
      ++w;
      ++i;
    } else if (i + 1 < size && raw[i + 1] == quote) {
      if (w == content_index) return i;
      ++w;
      i += 2;
    } else {
      return i + 1 + (content_index - w);
    }
  }
  return size;
}

}  // namespace fastthread::detail
