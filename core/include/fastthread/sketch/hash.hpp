// A fixed 64-bit hash of bytes: the same value on every platform and every run, so the
// distinct and top-value sketches give identical answers natively and in WebAssembly
// (std::hash promises neither).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

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

namespace hash_detail {

constexpr std::uint64_t kSeed = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kStep = 0x2545f4914f6cdd1dull;

// The definition: little-endian words assembled byte by byte.
constexpr std::uint64_t hash_bytes(std::string_view text) {
  const auto* s = text.data();
  const std::uint64_t n = text.size();
  std::uint64_t h = kSeed;
  std::uint64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t word = 0;
    for (std::uint64_t b = 8; b > 0; --b) word = (word << 8) | static_cast<unsigned char>(s[i + b - 1]);
    h = mix64(h ^ word) + kStep;
  }
  if (i < n) {
    std::uint64_t word = 0;
    for (std::uint64_t b = n; b > i; --b) word = (word << 8) | static_cast<unsigned char>(s[b - 1]);
    h = mix64(h ^ word) + kStep;
  }
  return mix64(h ^ n);
}

template <typename T>
inline T load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The same hash on a little-endian host (x86, WebAssembly), with word loads: the tail is
// read by loads that overlap what came before, never past the end of `text`.
inline std::uint64_t hash_words(std::string_view text) {
  const char* s = text.data();
  const std::uint64_t n = text.size();
  std::uint64_t h = kSeed;
  std::uint64_t i = 0;
  for (; i + 8 <= n; i += 8) h = mix64(h ^ load<std::uint64_t>(s + i)) + kStep;
  const std::uint64_t rest = n - i;  // 0..7 bytes
  if (rest > 0) {
    std::uint64_t word;
    if (n >= 8) {
      word = load<std::uint64_t>(s + n - 8) >> ((8 - rest) * 8);
    } else if (rest >= 4) {
      word = load<std::uint32_t>(s) | (std::uint64_t{load<std::uint32_t>(s + rest - 4)} << ((rest - 4) * 8));
    } else {
      word = std::uint64_t{static_cast<unsigned char>(s[0])} |
             (std::uint64_t{static_cast<unsigned char>(s[rest / 2])} << (rest / 2 * 8)) |
             (std::uint64_t{static_cast<unsigned char>(s[rest - 1])} << ((rest - 1) * 8));
    }
    h = mix64(h ^ word) + kStep;
  }
  return mix64(h ^ n);
}

}  // namespace hash_detail

// Hashes `text` eight bytes at a time (little-endian words, so the result does not depend
// on the host's byte order), then mixes in the length so that texts differing only by
// trailing zero bytes differ.
constexpr std::uint64_t hash64(std::string_view text) {
  if (std::is_constant_evaluated() || std::endian::native != std::endian::little) {
    return hash_detail::hash_bytes(text);
  }
  return hash_detail::hash_words(text);
}

}  // namespace fastthread::sketch
