#include "fastthread/sketch/histogram.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sketch_data.hpp"

namespace fastthread::sketch {
namespace {

using fastthread::testing::kRows;

constexpr std::uint32_t kBins = 20;

// Bins counted one value at a time, as a reader would: bin floor((x - min) / width * bins).
std::vector<std::uint64_t> exact_bins(const std::vector<double>& xs, std::uint32_t bins) {
  const auto [lo_it, hi_it] = std::minmax_element(xs.begin(), xs.end());
  const double lo = *lo_it, width = *hi_it - *lo_it;
  std::vector<std::uint64_t> out(bins, 0);
  for (double x : xs) {
    std::uint32_t b = 0;
    if (width > 0 && x > lo) {
      const double position = (x - lo) / width * bins;
      b = position >= bins ? bins - 1 : static_cast<std::uint32_t>(position);
    }
    ++out[b];
  }
  return out;
}

Histogram sketch_of(const std::vector<double>& xs) {
  Histogram h;
  for (double x : xs) h.add(x);
  return h;
}

// Every bin within the stated error of the exact count, and the counts sum to n.
Histogram::Bins expect_within_stated_error(const Histogram& h, const std::vector<double>& xs, double step) {
  const auto bins = h.bins(kBins, step);
  const auto exact = exact_bins(xs, kBins);
  EXPECT_EQ(std::accumulate(bins.counts.begin(), bins.counts.end(), std::uint64_t{0}), xs.size());
  for (std::uint32_t b = 0; b < kBins; ++b) {
    const auto diff = bins.counts[b] > exact[b] ? bins.counts[b] - exact[b] : exact[b] - bins.counts[b];
    EXPECT_LE(diff, bins.error) << "bin " << b << ": " << bins.counts[b] << " for " << exact[b];
  }
  return bins;
}

// Random cut points, parts merged in a random order: the state is the multiset's, so the
// bins and their error come out identical to one pass.
void expect_merges_identically(const std::vector<double>& xs, double step, std::uint64_t seed) {
  const auto whole = sketch_of(xs).bins(kBins, step);
  fastthread::testing::Rng rng(seed);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::size_t> cuts{0, xs.size()};
    for (int p = 0; p < 2 + round * 4; ++p) cuts.push_back(static_cast<std::size_t>(rng.below(xs.size())));
    std::sort(cuts.begin(), cuts.end());
    std::vector<Histogram> parts;
    for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
      Histogram part;
      for (std::size_t i = cuts[p]; i < cuts[p + 1]; ++i) part.add(xs[i]);
      parts.push_back(std::move(part));
    }
    for (std::size_t i = parts.size() - 1; i > 0; --i)
      std::swap(parts[i], parts[static_cast<std::size_t>(rng.below(i + 1))]);
    Histogram merged;
    for (const auto& part : parts) merged.merge(part);
    const auto bins = merged.bins(kBins, step);
    EXPECT_EQ(bins.counts, whole.counts) << "round " << round;
    EXPECT_EQ(bins.error, whole.error) << "round " << round;
  }
}

// Uniform data must look uniform: every bin within `tolerance` (a fraction) of n / bins.
void expect_flat(const Histogram::Bins& bins, std::uint64_t n, double tolerance) {
  const double even = static_cast<double>(n) / kBins;
  for (std::uint32_t b = 0; b < kBins; ++b)
    EXPECT_NEAR(static_cast<double>(bins.counts[b]), even, tolerance * even) << "bin " << b;
}

// The ids 1..1.6M in order, where the quantile sketch's items gave alternating bars.
TEST(Histogram, SortedIdsLookUniform) {
  std::vector<double> ids(1'600'000);
  std::iota(ids.begin(), ids.end(), 1.0);
  const Histogram h = sketch_of(ids);
  const auto bins = expect_within_stated_error(h, ids, 1);
  // Each bin is 80,000 ids, and the stated error is at most two cells of 1,024 ids.
  EXPECT_GT(bins.error, 0u);
  EXPECT_LE(bins.error, 2048u);
  expect_flat(bins, ids.size(), 0.001);
  expect_merges_identically(ids, 1, 1);
}

// Access-log times: a day of seconds with milliseconds, ascending, uniform.
TEST(Histogram, UniformTimesLookUniform) {
  fastthread::testing::Rng rng(2);
  std::vector<double> times(kRows);
  for (auto& t : times) t = 1.7e9 + std::floor(rng.uniform() * 86'400'000.0) / 1000.0;
  std::sort(times.begin(), times.end());
  const auto bins = expect_within_stated_error(sketch_of(times), times, 0);
  // Sampling noise of 50,000 per bin is about 0.45%; the split cells add at most 0.2%.
  expect_flat(bins, times.size(), 0.02);
  expect_merges_identically(times, 0, 2);
}

TEST(Histogram, ShuffledUniformIntegers) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 1'000'000, 3);
  const std::vector<double> xs(ints.begin(), ints.end());
  const auto bins = expect_within_stated_error(sketch_of(xs), xs, 1);
  expect_flat(bins, xs.size(), 0.02);
  expect_merges_identically(xs, 1, 3);
}

// Integers spanning fewer than kCells values, and dates spanning fewer than about 1,500
// days: one possible value per cell, so every bin is exact and says so.
TEST(Histogram, SmallIntegerRangesAndDatesAreExact) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 1500, 4);
  std::vector<double> xs;
  for (auto v : ints) xs.push_back(static_cast<double>(v) - 700);  // negatives too
  const auto bins = sketch_of(xs).bins(kBins, 1);
  EXPECT_EQ(bins.error, 0u);
  EXPECT_EQ(bins.counts, exact_bins(xs, kBins));

  const auto days = fastthread::testing::uniform_ints(kRows, 1400, 5);
  std::vector<double> dates;
  for (auto d : days) dates.push_back(static_cast<double>(19000 + d) * 86400.0);
  const Histogram h = sketch_of(dates);
  const auto date_bins = h.bins(kBins, 86400);
  EXPECT_EQ(date_bins.error, 0u);
  EXPECT_EQ(date_bins.counts, exact_bins(dates, kBins));
  // Without knowing they are whole days the same cells are only estimates.
  expect_within_stated_error(h, dates, 0);
  expect_merges_identically(dates, 86400, 5);
}

TEST(Histogram, SkewedAndBellShapedWithinStatedError) {
  const auto ranks = fastthread::testing::zipf_ranks(kRows, 100'000, 1.3, 6);  // many ties
  const std::vector<double> zipf(ranks.begin(), ranks.end());
  expect_within_stated_error(sketch_of(zipf), zipf, 1);
  expect_merges_identically(zipf, 1, 6);
  const auto bell = fastthread::testing::normalish(kRows, 7);
  expect_within_stated_error(sketch_of(bell), bell, 0);
  expect_merges_identically(bell, 0, 7);
}

TEST(Histogram, ExtremesTinyValuesAndConstants) {
  std::vector<double> xs = {1e308, -1e308, 0.0, -1e-300, 1e-300, 5.0, -5.0};
  for (int i = 0; i < 1000; ++i) xs.push_back(static_cast<double>(i) * 1e305);
  const auto bins = expect_within_stated_error(sketch_of(xs), xs, 0);
  expect_merges_identically(xs, 0, 8);

  // Values far from zero with a tiny spread: cells stay exact numbers.
  std::vector<double> close;
  for (int i = 0; i < 5000; ++i) close.push_back(1e15 + i % 100);
  const auto close_bins = sketch_of(close).bins(kBins, 1);
  EXPECT_EQ(close_bins.error, 0u);
  EXPECT_EQ(close_bins.counts, exact_bins(close, kBins));

  Histogram constant;
  for (int i = 0; i < 1000; ++i) constant.add(-0.0);
  const auto c = constant.bins(kBins, 0);
  EXPECT_EQ(c.counts[0], 1000u);
  EXPECT_EQ(c.error, 0u);
  EXPECT_EQ(std::accumulate(c.counts.begin(), c.counts.end(), std::uint64_t{0}), 1000u);

  // A first value fixes a fine scale; a huge one then forces a jump of a thousand scales.
  const std::vector<double> jump = {1.0, 1e300, -1e300, 2.0};
  expect_within_stated_error(sketch_of(jump), jump, 0);
  expect_merges_identically(jump, 0, 9);

  Histogram from_zero;  // the first value sets the finest scale
  for (double x : {0.0, 0.0, 1.0, 2.0, 3.0}) from_zero.add(x);
  EXPECT_EQ(from_zero.bins(4, 1).counts, (std::vector<std::uint64_t>{2, 1, 1, 1}));
  EXPECT_EQ(from_zero.bins(4, 1).error, 0u);

  Histogram small;
  for (int i = 100; i >= 1; --i) small.add(i);
  EXPECT_EQ(small.bins(4, 1).counts, (std::vector<std::uint64_t>{25, 25, 25, 25}));
  EXPECT_EQ(small.bins(4, 1).error, 0u);
  EXPECT_EQ(Histogram{}.bins(4, 0).counts, (std::vector<std::uint64_t>(4, 0)));
}

}  // namespace
}  // namespace fastthread::sketch
