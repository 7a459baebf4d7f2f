// Bytes as lowercase hex digits: ids, token hashes and file digests.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

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

// A file's SHA-256 digest as its 32 bytes (a long queue holds one per job), spelled as
// 64 lowercase hex digits wherever it is shown or stored.
class Sha256 {
 public:
  // From 64 lowercase hex digits; nullopt for anything else.
  static std::optional<Sha256> from_hex(std::string_view hex) {
    if (hex.size() != 64) return std::nullopt;
    Sha256 digest;
    for (std::size_t i = 0; i < 32; ++i) {
      const int high = digit(hex[2 * i]), low = digit(hex[2 * i + 1]);
      if (high < 0 || low < 0) return std::nullopt;
      digest.bytes_[i] = static_cast<unsigned char>(high << 4 | low);
    }
    return digest;
  }
  std::string hex() const { return to_hex(bytes_.data(), bytes_.size()); }
  bool operator==(const Sha256&) const = default;

 private:
  static int digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }
  std::array<unsigned char, 32> bytes_{};
};

}  // namespace fastthread::server
