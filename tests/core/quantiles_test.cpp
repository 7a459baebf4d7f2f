#include "fastthread/sketch/quantiles.hpp"

#include <gtest/gtest.h>

#include "sketch_data.hpp"

namespace fastthread::sketch {
namespace {

using fastthread::testing::kRows;

const double kProbes[] = {0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

// The answer x for q is right within eps if some rank of x (x may repeat) is within eps of q.
void expect_rank_within(const Quantiles& sketch, const std::vector<double>& sorted, double eps) {
  const double n = static_cast<double>(sorted.size());
  for (double q : kProbes) {
    const double x = sketch.quantile(q);
    const double below =
        static_cast<double>(std::lower_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
    const double through =
        static_cast<double>(std::upper_bound(sorted.begin(), sorted.end(), x) - sorted.begin());
    EXPECT_LE(below / n, q + eps) << "q " << q << " x " << x;
    EXPECT_GE(through / n, q - eps) << "q " << q << " x " << x;
  }
  EXPECT_EQ(sketch.quantile(0), sorted.front());
  EXPECT_EQ(sketch.quantile(1), sorted.back());
}

std::vector<std::vector<double>> datasets() {
  std::vector<std::vector<double>> out;
  const auto ints = fastthread::testing::uniform_ints(kRows, 1'000'000, 21);
  out.emplace_back(ints.begin(), ints.end());
  out.push_back(fastthread::testing::normalish(kRows, 22));
  const auto days = fastthread::testing::uniform_ints(kRows, 14610, 23);  // 1990-2030
  std::vector<double> dates;
  for (auto d : days) dates.push_back(static_cast<double>(7305 + d) * 86400.0);
  out.push_back(std::move(dates));
  const auto ranks = fastthread::testing::zipf_ranks(kRows, 1000, 1.3, 24);  // many ties
  out.emplace_back(ranks.begin(), ranks.end());
  std::vector<double> ascending(kRows);  // sorted input, a classic bad case for compactors
  for (std::size_t i = 0; i < kRows; ++i) ascending[i] = static_cast<double>(i);
  out.push_back(std::move(ascending));
  return out;
}

TEST(Quantiles, MillionRowsWithinStatedRankError) {
  for (const auto& xs : datasets()) {
    std::vector<double> sorted = xs;
    std::sort(sorted.begin(), sorted.end());
    Quantiles whole;
    for (double x : xs) whole.add(x);
    EXPECT_EQ(whole.count(), kRows);
    EXPECT_EQ(whole.min(), sorted.front());
    EXPECT_EQ(whole.max(), sorted.back());
    EXPECT_LT(whole.retained(), 4 * Quantiles::kK);  // bounded memory
    expect_rank_within(whole, sorted, Quantiles::kRankError);
    EXPECT_FALSE(whole.exact());
    for (std::size_t parts : {2, 3, 10}) {
      Quantiles merged;
      for (auto [begin, end] : fastthread::testing::split(kRows, parts)) {
        Quantiles part;
        for (std::size_t i = begin; i < end; ++i) part.add(xs[i]);
        merged.merge(part);
      }
      EXPECT_EQ(merged.count(), kRows);
      EXPECT_EQ(merged.min(), sorted.front());
      EXPECT_EQ(merged.max(), sorted.back());
      EXPECT_LT(merged.retained(), 4 * Quantiles::kK);
      expect_rank_within(merged, sorted, Quantiles::kRankError);
    }
  }
}

TEST(Quantiles, SmallInputsAreExact) {
  Quantiles q;
  for (int i = 100; i >= 1; --i) q.add(i);
  EXPECT_EQ(q.quantile(0.5), 50);
  EXPECT_EQ(q.quantile(0.9), 90);
  EXPECT_EQ(q.quantile(0.99), 99);
  EXPECT_EQ(q.quantile(0), 1);
  EXPECT_EQ(q.quantile(1), 100);
  EXPECT_TRUE(q.exact());
}

TEST(Quantiles, DeterministicAndNegativeZeroIsZero) {
  Quantiles a, b;
  const auto xs = fastthread::testing::normalish(100'000, 5);
  for (double x : xs) {
    a.add(x);
    b.add(x);
  }
  for (double q : kProbes) EXPECT_EQ(a.quantile(q), b.quantile(q));
  Quantiles z;
  z.add(-0.0);
  EXPECT_FALSE(std::signbit(z.quantile(0.5)));
}

}  // namespace
}  // namespace fastthread::sketch
