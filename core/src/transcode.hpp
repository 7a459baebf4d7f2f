// Streaming transcoding to UTF-8 (internal): Windows-1252, ISO-8859-1, UTF-16LE/BE.
//
// Split-invariant: a character cut across chunks (a UTF-16 code unit, a surrogate pair)
// is held until its rest arrives, so every chunking gives the same output and the same
// offset map. Constant memory: at most three held bytes. The tables are written out here
// rather than taken from iconv, so the native and WebAssembly builds agree byte for byte.
//
// Invalid UTF-16 is not replaced silently: a lone surrogate becomes the three bytes its
// code point would take (ED A0 80 ... ED BF BF), which is not UTF-8, so the parser reports
// its row as an invalid_utf8 bad row at the surrogate's place; a last odd byte (a cut code
// unit) becomes the byte 0xFF, likewise invalid. Single-byte encodings have no invalid
// input: every byte is a character.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fastthread/encoding.hpp"
#include "offset_map.hpp"

namespace fastthread::detail {

class Transcoder {
 public:
  // `from` is not utf8 (UTF-8 input bypasses the transcoder).
  explicit Transcoder(Encoding from) : from_(from) {}

  // Appends the UTF-8 of `input` to `out` and describes it in `map`.
  void feed(std::string_view input, std::string& out, OffsetMap& map);
  // End of input: whatever is still held is invalid and is written as such.
  void finish(std::string& out, OffsetMap& map);

 private:
  void feed_8bit(std::string_view input, std::string& out, OffsetMap& map);
  void feed_utf16(std::string_view input, std::string& out, OffsetMap& map);
  void put_unit(std::uint16_t unit, std::string& out, OffsetMap& map);

  Encoding from_;
  int held_byte_ = -1;          // first byte of a UTF-16 code unit cut by the chunk end
  std::uint16_t high_ = 0;      // a high surrogate waiting for its low half (0: none)
};

}  // namespace fastthread::detail
