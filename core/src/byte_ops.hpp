// Short-copy and compare helpers for the profile's hot paths (internal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace fastthread::detail {

// Copies n bytes with fixed-size moves (overlapping at the ends): GCC turns a memcpy of a
// variable size into `rep movs`, whose start-up cost dominates for short texts. Never
// reads or writes outside [src, src + n) and [dst, dst + n).
inline void copy_bytes(char* dst, const char* src, std::size_t n) {
  if (n >= 16) {
    for (std::size_t i = 0; i + 16 < n; i += 16) std::memcpy(dst + i, src + i, 16);
    std::memcpy(dst + n - 16, src + n - 16, 16);
  } else if (n >= 8) {
    std::memcpy(dst, src, 8);
    std::memcpy(dst + n - 8, src + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(dst, src, 4);
    std::memcpy(dst + n - 4, src + n - 4, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

// Eight bytes at `p` as a big-endian number, so that numbers order as the bytes do.
inline std::uint64_t big_endian_word(const char* p) {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  std::uint64_t word = 0;
  for (int i = 0; i < 8; ++i) word = (word << 8) | s[i];  // GCC and clang: a load and a bswap
  return word;
}

// std::string_view::compare's order (bytes as unsigned, then length) as -1, 0, 1, eight
// bytes a step without a library call.
inline int compare_bytes(std::string_view a, std::string_view b) {
  const std::size_t n = a.size() < b.size() ? a.size() : b.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const std::uint64_t x = big_endian_word(a.data() + i), y = big_endian_word(b.data() + i);
    if (x != y) return x < y ? -1 : 1;
  }
  for (; i < n; ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace fastthread::detail
