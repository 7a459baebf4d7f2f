// Text encodings the core reads. Whatever the input's encoding, the parsers see UTF-8:
// other encodings are transcoded ahead of them (core/src/transcode.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace fastthread {

// windows1252 is WHATWG's windows-1252 (what browsers use for "ISO-8859-1" too): bytes
// 0x80-0x9F are typographic characters, and its five undefined bytes (81 8D 8F 90 9D)
// are the C1 controls U+0081 ... latin1 is true ISO-8859-1: every byte is its code point.
enum class Encoding : std::uint8_t { utf8, utf16le, utf16be, windows1252, latin1 };

// "utf-8", "utf-16le", "utf-16be", "windows-1252", "latin-1".
std::string_view to_string(Encoding encoding);
// The names above, case-insensitive, and a few common aliases (utf8, cp1252, iso-8859-1, latin1).
std::optional<Encoding> parse_encoding(std::string_view name);

// Whether `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// past U+10FFFF, no sequence cut off by its end).
bool is_valid_utf8(std::string_view text);

}  // namespace fastthread
