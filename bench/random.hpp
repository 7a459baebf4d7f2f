// A PRNG whose output is the same on every machine: splitmix64 and integer-only draws.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace fastthread::bench {

// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and fully specified, unlike the
// std distributions, whose output differs between standard libraries.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) for n < 2^32 (multiply-shift: no division on the hot path).
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32); }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    const std::uint64_t span = static_cast<std::uint64_t>(hi - lo) + 1;
    // Spans that fit 32 bits (all of ours) avoid a 64-bit division.
    if (span <= UINT32_MAX) return lo + below(static_cast<std::uint32_t>(span));
    return lo + static_cast<std::int64_t>(next() % span);
  }
  // True with probability percent/100.
  bool chance(std::uint32_t percent) { return below(100) < percent; }
  // True with probability permille/1000.
  bool chance_permille(std::uint32_t permille) { return below(1000) < permille; }

  template <std::size_t N>
  std::string_view pick(const std::string_view (&items)[N]) {
    return items[below(static_cast<std::uint32_t>(N))];
  }

 private:
  std::uint64_t state_;
};

// Draws index k in [0, n) with weight proportional to 1/(k+1): a few values dominate, as
// categories, client addresses and URLs do in real data. Integer weights keep it exact.
class Zipf {
 public:
  explicit Zipf(std::uint32_t n) {
    std::uint64_t total = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      total += 1000000 / (k + 1);
      cumulative_.push_back(total);
    }
  }
  std::uint32_t draw(Random& random) const {
    const std::uint64_t x = random.next() % cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), x);
    return static_cast<std::uint32_t>(it - cumulative_.begin());
  }

 private:
  std::vector<std::uint64_t> cumulative_;
};

}  // namespace fastthread::bench
