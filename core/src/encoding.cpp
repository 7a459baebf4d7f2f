// Encoding names and the detection of an input's encoding from its first bytes.
#include <algorithm>
#include <cstdio>

#include "encoding_detect.hpp"
#include "swar.hpp"
#include "utf8.hpp"

namespace fastthread {

std::string_view to_string(Encoding encoding) {
  switch (encoding) {
    case Encoding::utf8: return "utf-8";
    case Encoding::utf16le: return "utf-16le";
    case Encoding::utf16be: return "utf-16be";
    case Encoding::windows1252: return "windows-1252";
    case Encoding::latin1: return "latin-1";
  }
  return "utf-8";
}

bool is_valid_utf8(std::string_view text) {
  return detail::find_invalid_utf8(text) == std::string_view::npos;
}

std::optional<Encoding> parse_encoding(std::string_view name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (Encoding e : {Encoding::utf8, Encoding::utf16le, Encoding::utf16be, Encoding::windows1252, Encoding::latin1}) {
    if (to_string(e) == lower) return e;
  }
  if (lower == "utf8") return Encoding::utf8;
  if (lower == "utf16le") return Encoding::utf16le;
  if (lower == "utf16be") return Encoding::utf16be;
  if (lower == "cp1252" || lower == "windows1252") return Encoding::windows1252;
  if (lower == "latin1" || lower == "iso-8859-1" || lower == "iso8859-1") return Encoding::latin1;
  return std::nullopt;
}

namespace detail {
namespace {

std::string hex_byte(unsigned char b) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", b);
  return text;
}

struct Bom {
  std::string_view bytes;
  Encoding encoding;
  const char* spelled;
};
constexpr Bom kBoms[] = {{"\xEF\xBB\xBF", Encoding::utf8, "EF BB BF"},
                         {"\xFF\xFE", Encoding::utf16le, "FF FE"},
                         {"\xFE\xFF", Encoding::utf16be, "FE FF"}};

std::optional<EncodingGuess> guess_utf16(std::string_view head) {
  const std::size_t pairs = std::min(kUtf16Pairs, head.size() / 2);
  if (pairs < 2) return std::nullopt;
  // Pairs whose only zero byte is at an odd / even offset, and of those, the ones whose
  // other byte is a Latin-1 character a text holds (binary has zeros beside anything).
  std::size_t odd = 0, even = 0, odd_text = 0, even_text = 0;
  auto is_text = [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b == '\t' || b == '\n' || b == '\r' || (b >= 0x20 && b < 0x7F) || b >= 0xA0;
  };
  for (std::size_t k = 0; k < pairs; ++k) {
    const char a = head[2 * k], b = head[2 * k + 1];
    if (b == 0 && a != 0) {
      ++odd;
      odd_text += is_text(a);
    }
    if (a == 0 && b != 0) {
      ++even;
      even_text += is_text(b);
    }
  }
  const std::size_t most = std::max(odd, even), least = std::min(odd, even);
  const std::size_t text = odd > even ? odd_text : even_text;
  if (most * 5 < pairs || least * 8 > most || text * 10 < most * 9) return std::nullopt;
  EncodingGuess g;
  g.encoding = odd > even ? Encoding::utf16le : Encoding::utf16be;
  const double share = static_cast<double>(most) / static_cast<double>(pairs);
  g.confidence = std::min(0.95, 0.5 + share / 2);
  g.reason = std::string("zero bytes at ") + (odd > even ? "odd" : "even") + " offsets in " +
             std::to_string(most * 100 / pairs) + "% of the first " + std::to_string(pairs) + " byte pairs";
  return g;
}

// True when the bytes from `p` to `end` could begin a well-formed sequence.
bool is_cut_sequence(const unsigned char* p, const unsigned char* end) {
  // Pad with the lowest continuation bytes the lead allows (E0 and F0 narrow the second).
  const unsigned char second = p[0] == 0xE0 ? 0xA0 : p[0] == 0xF0 ? 0x90 : 0x80;
  unsigned char padded[4] = {p[0], second, 0x80, 0x80};
  std::copy(p, end, padded);
  const std::size_t len = utf8_sequence_length(padded, padded + 4);
  return len > static_cast<std::size_t>(end - p);
}

EncodingGuess guess_8bit(std::string_view head, bool is_complete) {
  const auto* s = reinterpret_cast<const unsigned char*>(head.data());
  const std::size_t n = head.size();
  std::size_t multi = 0, invalid = 0, first_invalid = 0;
  for (std::size_t i = 0; i < n;) {
    // ASCII runs are most of a head: eight bytes at a time.
    while (i + 8 <= n && (load8(head.data() + i) & kHighs) == 0) i += 8;
    if (i >= n) break;
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(s + i, s + n);
    if (len > 0) {
      ++multi;
      i += len;
      continue;
    }
    if (!is_complete && n - i < 4 && is_cut_sequence(s + i, s + n)) break;
    if (invalid++ == 0) first_invalid = i;
    ++i;
  }
  EncodingGuess g;
  if (invalid == 0) {
    g.reason = n == 0 ? "empty input, read as UTF-8" : multi > 0 ? "valid UTF-8" : "ASCII only, read as UTF-8";
    return g;
  }
  const std::string where = hex_byte(s[first_invalid]) + " at offset " + std::to_string(first_invalid);
  if (multi > invalid) {
    g.confidence = 0.8;
    g.reason = "valid UTF-8 but for " + std::to_string(invalid) + (invalid == 1 ? " byte (" : " bytes (the first, ") +
               where + "); rows holding them are bad rows";
    return g;
  }
  g.encoding = Encoding::windows1252;
  g.confidence = 0.9;
  g.reason = "byte " + where + " is not UTF-8; read as Windows-1252";
  return g;
}

}  // namespace

EncodingGuess detect_encoding(std::string_view head, bool is_complete, std::optional<Encoding> given) {
  if (given) {
    EncodingGuess g;
    g.encoding = *given;
    g.reason = "given";
    for (const Bom& bom : kBoms) {
      if (bom.encoding == *given && head.starts_with(bom.bytes)) g.bom_bytes = bom.bytes.size();
    }
    return g;
  }
  for (const Bom& bom : kBoms) {
    if (!head.starts_with(bom.bytes)) continue;
    EncodingGuess g;
    g.encoding = bom.encoding;
    g.bom_bytes = bom.bytes.size();
    g.reason = std::string("byte order mark ") + bom.spelled;
    return g;
  }
  if (auto utf16 = guess_utf16(head)) return *utf16;
  return guess_8bit(head, is_complete);
}

}  // namespace detail
}  // namespace fastthread
