// Which encoding the first bytes of a file are in (internal).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fastthread/encoding.hpp"

namespace fastthread::detail {

struct EncodingGuess {
  Encoding encoding = Encoding::utf8;
  std::size_t bom_bytes = 0;  // length of the input's byte order mark (0: none)
  double confidence = 1;      // 1 when given, from a BOM, or valid UTF-8
  std::string reason;         // a short sentence, shown as format.encoding_reason
};

// Decides from `head` (the first bytes; `is_complete`: the whole input), in this order:
// a given encoding (its own BOM, if present, is still skipped); a BOM (EF BB BF, FF FE,
// FE FF); UTF-16 without a BOM when, in the first kUtf16Pairs byte pairs, at least 20%
// hold a zero byte at one parity, at most an eighth as many at the other, and in 90% of
// them the other byte is a printable Latin-1 character or a tab or line end (Latin text
// in UTF-16 is such a byte and a zero; binary has zeros beside anything); UTF-8 when the
// head is valid UTF-8 (a sequence cut off at the end of an incomplete head is valid), or
// when valid multi-byte sequences outnumber
// the invalid bytes (a UTF-8 file with a few broken bytes: those rows are bad rows);
// otherwise Windows-1252, whose printable characters are a superset of ISO-8859-1's.
// Confidence: 0.9 for Windows-1252 (another single-byte code page is possible), 0.8 for
// mostly valid UTF-8, 0.5 + share / 2 (at most 0.95) for UTF-16 without a BOM.
inline constexpr std::size_t kUtf16Pairs = 4096;
EncodingGuess detect_encoding(std::string_view head, bool is_complete, std::optional<Encoding> given);

}  // namespace fastthread::detail
