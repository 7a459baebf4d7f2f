#include "fastthread/sketch/distinct.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fastthread/sketch/hash.hpp"
#include "sketch_data.hpp"

namespace fastthread::sketch {
namespace {

using fastthread::testing::kRows;

std::uint64_t hash_int(std::int64_t v) {
  return hash64(std::to_string(v));
}

TEST(Hash, FixedValues) {
  // Pinned (the same values come out of the 32-bit WebAssembly build), so a change to the
  // hash, which changes every distinct estimate, shows up here first.
  EXPECT_EQ(hash64(""), 0x9ca066f1a4ab2eeaull);
  EXPECT_EQ(hash64("a"), 0xaa4ba111eb87464bull);
  EXPECT_EQ(hash64("fastthread"), 0xd6dc78925f6f50aeull);
  EXPECT_EQ(hash64("2024-02-29T12:34:56Z"), 0xe97f3417d3dc3b31ull);
  EXPECT_NE(hash64("abcdefgh"), hash64(std::string_view("abcdefgh\0", 9)));
  EXPECT_NE(hash64(std::string_view("a\0", 2)), hash64("a"));
  static_assert(hash64("fastthread") == 0xd6dc78925f6f50aeull);
}

// The word-load path must be the byte-by-byte definition for every length and alignment
// (the tail loads overlap differently for 1-3, 4-7 and 8+ bytes).
TEST(Hash, WordLoadsMatchTheDefinition) {
  std::string bytes;
  for (int i = 0; i < 64; ++i) bytes.push_back(static_cast<char>(i * 37 + 200));
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t n = 0; offset + n <= bytes.size(); ++n) {
      const std::string_view text(bytes.data() + offset, n);
      EXPECT_EQ(hash_detail::hash_words(text), hash_detail::hash_bytes(text)) << offset << " " << n;
    }
  }
  EXPECT_EQ(hash_detail::hash_words("2024-02-29T12:34:56Z"), 0xe97f3417d3dc3b31ull);
}

TEST(DistinctCount, ExactUpToTheLimit) {
  DistinctCount d;
  EXPECT_EQ(d.estimate(), 0u);
  for (int round = 0; round < 3; ++round) {
    for (std::int64_t v = 0; v + 1 < DistinctCount::kExactLimit; ++v) d.add(hash_int(v));
    d.add(0);  // the hash value 0 is a value like any other
  }
  EXPECT_TRUE(d.exact());
  EXPECT_EQ(d.estimate(), DistinctCount::kExactLimit);
  d.add(hash_int(-1));
  EXPECT_FALSE(d.exact());
  const double past = DistinctCount::kExactLimit + 1.0;
  EXPECT_NEAR(static_cast<double>(d.estimate()), past, past * 3 * DistinctCount::kStandardError);
}

// Far past the old limit of 1,024: a column of 2,000 (or 60,000) values is counted exactly.
TEST(DistinctCount, ThousandsAreExact) {
  for (std::int64_t n : {2000, 60000}) {
    DistinctCount d;
    for (std::int64_t v = 0; v < 3 * n; ++v) d.add(hash_int(v % n));
    EXPECT_TRUE(d.exact());
    EXPECT_EQ(d.estimate(), static_cast<std::uint64_t>(n));
  }
}

TEST(DistinctCount, SwitchesToHyperLogLogPastTheLimit) {
  DistinctCount d;
  for (std::int64_t v = 0; v < 100'000; ++v) d.add(hash_int(v));
  EXPECT_FALSE(d.exact());
  EXPECT_NEAR(static_cast<double>(d.estimate()), 1e5, 1e5 * 3 * DistinctCount::kStandardError);
}

// Exact distinct counts of the generated columns, against the estimate: within 3 sigma.
TEST(DistinctCount, MillionRowsWithinThreeSigma) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 1'000'000, 7);
  const auto ranks = fastthread::testing::zipf_ranks(kRows, 200'000, 1.1, 8);
  const auto small = fastthread::testing::uniform_ints(kRows, 3000, 9);
  const auto medium = fastthread::testing::uniform_ints(kRows, 50'000, 10);
  std::vector<std::vector<std::uint64_t>> cases(4);
  for (std::size_t i = 0; i < kRows; ++i) {
    cases[0].push_back(hash_int(ints[i]));
    cases[1].push_back(hash64(fastthread::testing::zipf_word(ranks[i])));
    cases[2].push_back(hash_int(small[i]));
    cases[3].push_back(hash_int(medium[i]));
  }
  for (const auto& hashes : cases) {
    std::vector<std::uint64_t> exact = hashes;
    std::sort(exact.begin(), exact.end());
    exact.erase(std::unique(exact.begin(), exact.end()), exact.end());
    DistinctCount whole;
    for (auto h : hashes) whole.add(h);
    const double truth = static_cast<double>(exact.size());
    EXPECT_EQ(whole.exact(), exact.size() <= DistinctCount::kExactLimit);
    if (whole.exact()) {
      EXPECT_EQ(whole.estimate(), exact.size());
    }
    EXPECT_NEAR(static_cast<double>(whole.estimate()), truth, truth * 3 * DistinctCount::kStandardError);
    // Merging the parts gives exactly the whole's sketch: it depends only on the set.
    for (std::size_t parts : {2, 3, 10}) {
      DistinctCount merged;
      for (auto [begin, end] : fastthread::testing::split(kRows, parts)) {
        DistinctCount part;
        for (std::size_t i = begin; i < end; ++i) part.add(hashes[i]);
        merged.merge(part);
      }
      EXPECT_EQ(merged.estimate(), whole.estimate()) << parts << " parts";
      EXPECT_EQ(merged.exact(), whole.exact());
    }
  }
}

TEST(DistinctCount, MergeStaysExactUnderTheLimit) {
  DistinctCount a, b;
  for (std::int64_t v = 0; v < 30000; ++v) a.add(hash_int(v));
  for (std::int64_t v = 15000; v < 45000; ++v) b.add(hash_int(v));
  a.merge(b);
  EXPECT_TRUE(a.exact());
  EXPECT_EQ(a.estimate(), 45000u);
  DistinctCount c;
  for (std::int64_t v = 45000; v < 70000; ++v) c.add(hash_int(v));
  a.merge(c);
  EXPECT_FALSE(a.exact());
  EXPECT_NEAR(static_cast<double>(a.estimate()), 70000.0, 70000 * 3 * DistinctCount::kStandardError);
}

}  // namespace
}  // namespace fastthread::sketch
