// Generated columns for the statistics tests: deterministic, a million rows each.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastthread::testing {

inline constexpr std::size_t kRows = 1'000'000;

// SplitMix64: tiny, fast and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(n));
  }

 private:
  std::uint64_t state_;
};

inline std::vector<std::int64_t> uniform_ints(std::size_t n, std::int64_t range, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::int64_t> out(n);
  for (auto& v : out) v = rng.below(range);
  return out;
}

// Sum of four uniforms, scaled: bell-shaped, mean 100, stddev about 15.
inline std::vector<double> normalish(std::size_t n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<double> out(n);
  for (auto& v : out) {
    const double s = rng.uniform() + rng.uniform() + rng.uniform() + rng.uniform() - 2.0;
    v = 100.0 + 15.0 * s / std::sqrt(4.0 / 12.0);
  }
  return out;
}

// Ranks 1..universe with P(rank r) proportional to r^-exponent.
inline std::vector<std::uint32_t> zipf_ranks(std::size_t n, std::uint32_t universe, double exponent,
                                             std::uint64_t seed) {
  std::vector<double> cdf(universe);
  double total = 0;
  for (std::uint32_t r = 0; r < universe; ++r) cdf[r] = total += std::pow(r + 1.0, -exponent);
  Rng rng(seed);
  std::vector<std::uint32_t> out(n);
  for (auto& v : out) {
    const double u = rng.uniform() * total;
    v = static_cast<std::uint32_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin()) + 1;
    if (v > universe) v = universe;
  }
  return out;
}

// prefix + number, spelled so GCC 12 does not warn (-Wrestrict false positive on
// "literal" + std::string).
inline std::string label(std::string_view prefix, std::int64_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

inline std::string zipf_word(std::uint32_t rank) {
  return label("word", rank);
}

// [begin, end) row ranges of `parts` nearly equal pieces of `n` rows.
inline std::vector<std::pair<std::size_t, std::size_t>> split(std::size_t n, std::size_t parts) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (std::size_t p = 0; p < parts; ++p) out.emplace_back(n * p / parts, n * (p + 1) / parts);
  return out;
}

}  // namespace fastthread::testing
