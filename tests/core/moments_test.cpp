#include "fastthread/sketch/moments.hpp"

#include <gtest/gtest.h>

#include "sketch_data.hpp"

namespace fastthread::sketch {
namespace {

using fastthread::testing::kRows;

// Two-pass reference in long double.
void exact_moments(const std::vector<double>& xs, double& mean, double& stddev) {
  long double sum = 0;
  for (double x : xs) sum += x;
  const long double m = sum / xs.size();
  long double ss = 0;
  for (double x : xs) ss += (x - m) * (x - m);
  mean = static_cast<double>(m);
  stddev = static_cast<double>(std::sqrt(ss / (xs.size() - 1)));
}

void expect_relative(double actual, double expected, double tolerance) {
  EXPECT_LE(std::fabs(actual - expected), tolerance * std::fabs(expected)) << actual << " vs " << expected;
}

TEST(Moments, SmallExample) {
  Moments m;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) m.add(x);
  EXPECT_EQ(m.count(), 8u);
  EXPECT_DOUBLE_EQ(m.mean(), 5.0);
  EXPECT_DOUBLE_EQ(m.variance(), 32.0 / 7.0);
}

TEST(Moments, EmptyAndSingle) {
  Moments m;
  EXPECT_EQ(m.count(), 0u);
  EXPECT_EQ(m.variance(), 0.0);
  m.add(3.5);
  EXPECT_EQ(m.mean(), 3.5);
  EXPECT_EQ(m.stddev(), 0.0);
}

TEST(Moments, MillionValuesMatchTwoPassAndMergeInParts) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 1'000'000, 1);
  std::vector<double> datasets[2] = {fastthread::testing::normalish(kRows, 2), std::vector<double>(kRows)};
  // Large offset: the naive sum-of-squares formula would lose every digit here.
  for (std::size_t i = 0; i < kRows; ++i) datasets[1][i] = 1e9 + static_cast<double>(ints[i]);
  for (const auto& xs : datasets) {
    double mean = 0, stddev = 0;
    exact_moments(xs, mean, stddev);
    Moments whole;
    for (double x : xs) whole.add(x);
    expect_relative(whole.mean(), mean, 1e-9);
    expect_relative(whole.stddev(), stddev, 1e-9);
    for (std::size_t parts : {2, 3, 10}) {
      Moments merged;
      for (auto [begin, end] : fastthread::testing::split(kRows, parts)) {
        Moments part;
        for (std::size_t i = begin; i < end; ++i) part.add(xs[i]);
        merged.merge(part);
      }
      EXPECT_EQ(merged.count(), kRows);
      expect_relative(merged.mean(), mean, 1e-9);
      expect_relative(merged.stddev(), stddev, 1e-9);
    }
  }
}

TEST(Moments, MergeWithEmpty) {
  Moments a, empty;
  a.add(1);
  a.add(3);
  a.merge(empty);
  EXPECT_EQ(a.count(), 2u);
  empty.merge(a);
  EXPECT_EQ(empty.mean(), 2.0);
  EXPECT_DOUBLE_EQ(empty.variance(), 2.0);
}

}  // namespace
}  // namespace fastthread::sketch
