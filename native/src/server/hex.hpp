// Bytes as lowercase hex digits: ids, token hashes and file digests.
#pragma once

#include <cstddef>
#include <string>

namespace fastthread::server {

inline std::string to_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 15];
  }
  return hex;
}

}  // namespace fastthread::server
