// Eight-bytes-at-a-time byte tests (SIMD within a register) for the output scanners.
#pragma once

#include <cstdint>
#include <cstring>

namespace fastthread::detail {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

inline std::uint64_t load8(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

// Non-zero iff some byte of `word` is zero. Only the whole-word answer is exact: bits
// above the first zero byte may be wrong, so callers locate the byte with a plain loop.
constexpr std::uint64_t has_zero_byte(std::uint64_t word) {
  return (word - kOnes) & ~word & kHighs;
}

// Non-zero iff some byte of `word` equals `c`.
constexpr std::uint64_t has_byte(std::uint64_t word, unsigned char c) {
  return has_zero_byte(word ^ (kOnes * c));
}

// Non-zero iff some byte of `word` is below `n` (n <= 128).
constexpr std::uint64_t has_byte_below(std::uint64_t word, unsigned char n) {
  return (word - kOnes * n) & ~word & kHighs;
}

}  // namespace fastthread::detail
