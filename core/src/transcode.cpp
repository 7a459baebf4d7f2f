#include "transcode.hpp"

#include <array>

#include "swar.hpp"
#include "utf8.hpp"

namespace fastthread::detail {
namespace {

// WHATWG's windows-1252 index for 0x80-0x9F (https://encoding.spec.whatwg.org/index-windows-1252.txt);
// 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined there and map to the C1 controls, as in
// browsers. 0xA0-0xFF are their own code points.
constexpr std::uint16_t kWindows1252C1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// The UTF-8 of bytes 0x80-0xFF, one table per single-byte encoding.
struct Utf8Char {
  std::uint8_t length = 0;
  char bytes[3] = {};
};
using HighTable = std::array<Utf8Char, 128>;

constexpr HighTable make_table(bool windows1252) {
  HighTable table{};
  for (std::uint32_t b = 0x80; b < 0x100; ++b) {
    const std::uint32_t cp = windows1252 && b < 0xA0 ? kWindows1252C1[b - 0x80] : b;
    Utf8Char& c = table[b - 0x80];
    if (cp < 0x800) {
      c.length = 2;
      c.bytes[0] = static_cast<char>(0xC0 | (cp >> 6));
      c.bytes[1] = static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      c.length = 3;
      c.bytes[0] = static_cast<char>(0xE0 | (cp >> 12));
      c.bytes[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      c.bytes[2] = static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return table;
}

constexpr HighTable kWindows1252 = make_table(true);
constexpr HighTable kLatin1 = make_table(false);

bool is_high(std::uint16_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low(std::uint16_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// A lone surrogate as the three bytes of its code point: not UTF-8, so the parser sees it.
void put_lone_surrogate(std::uint16_t unit, std::string& out, OffsetMap& map) {
  out += static_cast<char>(0xE0 | (unit >> 12));
  out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
  out += static_cast<char>(0x80 | (unit & 0x3F));
  map.add(2, 3);
}

}  // namespace

void Transcoder::feed(std::string_view input, std::string& out, OffsetMap& map) {
  if (from_ == Encoding::utf16le || from_ == Encoding::utf16be) {
    feed_utf16(input, out, map);
  } else {
    feed_8bit(input, out, map);
  }
}

void Transcoder::feed_8bit(std::string_view input, std::string& out, OffsetMap& map) {
  const HighTable& table = from_ == Encoding::latin1 ? kLatin1 : kWindows1252;
  const char* s = input.data();
  const std::size_t n = input.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t j = i;
    while (j + 8 <= n && (load8(s + j) & kHighs) == 0) j += 8;
    while (j < n && static_cast<unsigned char>(s[j]) < 0x80) ++j;
    if (j > i) {
      out.append(s + i, j - i);
      map.add(1, 1, static_cast<std::uint32_t>(j - i));
      i = j;
      continue;
    }
    const Utf8Char& c = table[static_cast<unsigned char>(s[i]) - 0x80];
    out.append(c.bytes, c.length);
    map.add(1, c.length);
    ++i;
  }
}

void Transcoder::feed_utf16(std::string_view input, std::string& out, OffsetMap& map) {
  const auto* s = reinterpret_cast<const unsigned char*>(input.data());
  const std::size_t n = input.size();
  const bool le = from_ == Encoding::utf16le;
  auto unit = [le](unsigned a, unsigned b) { return static_cast<std::uint16_t>(le ? a | b << 8 : a << 8 | b); };
  std::size_t i = 0;
  if (held_byte_ >= 0 && n > 0) {
    put_unit(unit(static_cast<unsigned>(held_byte_), s[0]), out, map);
    held_byte_ = -1;
    i = 1;
  }
  for (; i + 1 < n; i += 2) {
    const std::uint16_t u = unit(s[i], s[i + 1]);
    if (u < 0x80 && high_ == 0) {
      // ASCII runs are most of a Latin-script file.
      std::size_t j = i;
      while (j + 1 < n && unit(s[j], s[j + 1]) < 0x80) {
        out += static_cast<char>(unit(s[j], s[j + 1]));
        j += 2;
      }
      map.add(2, 1, static_cast<std::uint32_t>((j - i) / 2));
      i = j - 2;
      continue;
    }
    put_unit(u, out, map);
  }
  if (i < n) held_byte_ = s[i];
}

void Transcoder::put_unit(std::uint16_t u, std::string& out, OffsetMap& map) {
  if (high_ != 0) {
    const std::uint16_t high = high_;
    high_ = 0;
    if (is_low(u)) {
      const std::uint32_t cp = 0x10000 + ((static_cast<std::uint32_t>(high) - 0xD800) << 10) + (u - 0xDC00);
      char bytes[4];
      out.append(bytes, write_utf8(bytes, cp));
      map.add(4, 4);
      return;
    }
    put_lone_surrogate(high, out, map);
  }
  if (is_high(u)) {
    high_ = u;
    return;
  }
  if (is_low(u)) {
    put_lone_surrogate(u, out, map);
    return;
  }
  char bytes[3];
  const std::size_t length = static_cast<std::size_t>(write_utf8(bytes, u) - bytes);
  out.append(bytes, length);
  map.add(2, static_cast<std::uint32_t>(length));
}

void Transcoder::finish(std::string& out, OffsetMap& map) {
  if (high_ != 0) {
    put_lone_surrogate(high_, out, map);
    high_ = 0;
  }
  if (held_byte_ >= 0) {
    out += '\xFF';
    map.add(1, 1);
    held_byte_ = -1;
  }
}

}  // namespace fastthread::detail
