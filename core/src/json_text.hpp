// JSON text output: strings escaped, number spellings made valid JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "swar.hpp"

namespace fastthread::detail {

// JSON strings must escape '"', '\\' and the control characters below 0x20. Everything
// else passes through: the parsers guarantee valid UTF-8, and '/' needs no escape.
constexpr bool needs_json_escape(unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\';
}

// Index of the first byte at or after `from` that needs an escape, or text.size().
inline std::size_t find_json_escape(std::string_view text, std::size_t from = 0) {
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = from;
  // Most strings need no escape at all: skip clean words whole.
  while (i + 8 <= n) {
    const std::uint64_t word = load8(p + i);
    if (has_byte_below(word, 0x20) | has_byte(word, '"') | has_byte(word, '\\')) break;
    i += 8;
  }
  while (i < n && !needs_json_escape(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// Lets the escapers write to a std::string as well as to an OutputBuffer.
struct StringOut {
  std::string& s;
  void put(char c) { s.push_back(c); }
  void append(std::string_view bytes) { s.append(bytes); }
};

template <class Out>
void append_json_escape(Out& out, unsigned char c) {
  switch (c) {
    case '"':
      out.append("\\\"");
      return;
    case '\\':
      out.append("\\\\");
      return;
    case '\n':
      out.append("\\n");
      return;
    case '\r':
      out.append("\\r");
      return;
    case '\t':
      out.append("\\t");
      return;
    case '\b':
      out.append("\\b");
      return;
    case '\f':
      out.append("\\f");
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out.append(std::string_view(escape, 6));
    }
  }
}

// `text` as a quoted JSON string.
template <class Out>
void append_json_string(Out& out, std::string_view text) {
  out.put('"');
  std::size_t i = 0;
  for (;;) {
    const std::size_t j = find_json_escape(text, i);
    out.append(text.substr(i, j - i));
    if (j == text.size()) break;
    append_json_escape(out, static_cast<unsigned char>(text[j]));
    i = j + 1;
  }
  out.put('"');
}

// A number's source spelling as JSON requires it: a leading '+' dropped, "0" added before
// a leading '.' and after a '.' with no digit behind it ("+.5" -> "0.5", "-5." -> "-5.0",
// "5.e3" -> "5.0e3"); otherwise the spelling exactly, so no digit is ever lost.
template <class Out>
void append_json_number(Out& out, std::string_view text) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '+') ++i;
  if (i < text.size() && text[i] == '-') {
    out.put('-');
    ++i;
  }
  if (i == text.size()) {
    // Nothing numeric is left ("", "+", "-"): never write invalid JSON.
    out.append("0");
    return;
  }
  if (text[i] == '.') out.put('0');
  const std::size_t dot = text.find('.', i);
  const bool bare_dot =
      dot != std::string_view::npos && (dot + 1 == text.size() || text[dot + 1] < '0' || text[dot + 1] > '9');
  if (!bare_dot) {
    out.append(text.substr(i));
    return;
  }
  out.append(text.substr(i, dot + 1 - i));
  out.put('0');
  out.append(text.substr(dot + 1));
}

// true/false from a boolean's spelling (true/True/TRUE, false/False/FALSE).
inline std::string_view json_boolean(std::string_view text) {
  return !text.empty() && (text[0] == 't' || text[0] == 'T') ? std::string_view("true") : "false";
}

}  // namespace fastthread::detail
