// A fixed 64-bit hash of bytes: the same value on every platform and every run, so the
// distinct and top-value sketches give identical answers natively and in WebAssembly
// (std::hash promises neither).
#pragma once

#include <cstdint>
#include <string_view>

namespace fastthread::sketch {

// MurmurHash3's 64-bit finaliser: a bijection whose every output bit depends on every
// input bit, which is what HyperLogLog needs from its hash.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  x ^= x >> 33;
  return x;
}

// Hashes `text` eight bytes at a time (little-endian words, assembled byte by byte so the
// result does not depend on the host's byte order), then mixes in the length so that
// texts differing only by trailing zero bytes differ.
constexpr std::uint64_t hash64(std::string_view text) {
  const auto* s = text.data();
  const std::uint64_t n = text.size();
  std::uint64_t h = 0x9e3779b97f4a7c15ull;
  std::uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word = 0;
    for (std::uint64_t b = 8; b > 0; --b) word = (word << 8) | static_cast<unsigned char>(s[i + b - 1]);
    h = mix64(h ^ word) + 0x2545f4914f6cdd1dull;
  }
  if (i < n) {
    std::uint64_t word = 0;
    for (std::uint64_t b = n; b > i; --b) word = (word << 8) | static_cast<unsigned char>(s[b - 1]);
    h = mix64(h ^ word) + 0x2545f4914f6cdd1dull;
  }
  return mix64(h ^ n);
}

}  // namespace fastthread::sketch
