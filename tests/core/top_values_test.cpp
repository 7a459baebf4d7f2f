#include "fastthread/sketch/top_values.hpp"

#include <gtest/gtest.h>

#include <map>

#include "fastthread/sketch/hash.hpp"
#include "sketch_data.hpp"

namespace fastthread::sketch {
namespace {

using fastthread::testing::kRows;

void add(TopValues& t, const std::string& s) {
  t.add(s, hash64(s));
}

TEST(TopValues, ExactWhileValuesFit) {
  TopValues t;
  for (int i = 0; i < 200; ++i) {
    for (int r = 0; r <= i % 7; ++r) add(t, fastthread::testing::label("v", i));
  }
  EXPECT_TRUE(t.exact());
  const auto top = t.top(3);
  ASSERT_EQ(top.size(), 3u);
  // 28 values have count 7; ties go by text ascending.
  EXPECT_EQ(top[0].value, "v104");
  EXPECT_EQ(top[1].value, "v111");
  EXPECT_EQ(top[2].value, "v118");
  for (const auto& e : top) {
    EXPECT_EQ(e.count, 7u);
    EXPECT_EQ(e.error, 0u);
  }
}

TEST(TopValues, LongValuesAreCut) {
  TopValues t;
  const std::string long_value(1000, 'x');
  add(t, long_value);
  add(t, long_value);
  const auto top = t.top(10);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].count, 2u);
  EXPECT_TRUE(top[0].truncated);
  EXPECT_EQ(top[0].value.size(), TopValues::kMaxValueBytes);
}

// The guarantees of Space-Saving, checked against exact counts: every count is an upper
// bound within its error, errors are at most n / capacity, every value more frequent than
// that is listed, and the heavy hitters of a skewed column are exact.
void expect_guarantees(const TopValues& t, const std::map<std::string, std::uint64_t>& exact,
                       std::uint64_t n) {
  const auto all = t.top(TopValues::kCapacity);
  const std::uint64_t bound = n / TopValues::kCapacity;
  std::map<std::string, std::uint64_t> listed;
  for (const auto& e : all) {
    const std::uint64_t truth = exact.count(e.value) ? exact.at(e.value) : 0;
    EXPECT_GE(e.count, truth) << e.value;
    EXPECT_LE(e.count - e.error, truth) << e.value;
    EXPECT_LE(e.count - truth, bound) << e.value;
    listed[e.value] = e.count;
  }
  for (const auto& [value, count] : exact) {
    if (count > bound) {
      EXPECT_TRUE(listed.count(value)) << value << " with " << count;
    }
  }
}

TEST(TopValues, ZipfMillionHeavyHittersExact) {
  const auto ranks = fastthread::testing::zipf_ranks(kRows, 100'000, 1.1, 11);
  std::vector<std::string> words(kRows);
  std::map<std::string, std::uint64_t> exact;
  for (std::size_t i = 0; i < kRows; ++i) ++exact[words[i] = fastthread::testing::zipf_word(ranks[i])];
  std::vector<std::pair<std::uint64_t, std::string>> by_count;
  for (const auto& [w, c] : exact) by_count.emplace_back(c, w);
  std::sort(by_count.begin(), by_count.end(), [](auto& a, auto& b) { return a.first > b.first; });

  TopValues whole;
  for (const auto& w : words) add(whole, w);
  EXPECT_FALSE(whole.exact());
  EXPECT_EQ(whole.total(), kRows);
  expect_guarantees(whole, exact, kRows);
  const auto top = whole.top(10);
  ASSERT_EQ(top.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(top[i].value, by_count[i].second);
    EXPECT_EQ(top[i].count, by_count[i].first);
  }

  for (std::size_t parts : {2, 3, 10}) {
    TopValues merged;
    for (auto [begin, end] : fastthread::testing::split(kRows, parts)) {
      TopValues part;
      for (std::size_t i = begin; i < end; ++i) add(part, words[i]);
      merged.merge(part);
    }
    EXPECT_EQ(merged.total(), kRows);
    expect_guarantees(merged, exact, kRows);
    const auto merged_top = merged.top(10);
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(merged_top[i].value, by_count[i].second) << parts << " parts";
      EXPECT_EQ(merged_top[i].count, by_count[i].first) << parts << " parts";
    }
  }
}

TEST(TopValues, UniformMillionKeepsGuarantees) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 5000, 12);
  std::map<std::string, std::uint64_t> exact;
  TopValues t;
  for (auto v : ints) {
    const std::string s = std::to_string(v);
    ++exact[s];
    add(t, s);
  }
  expect_guarantees(t, exact, kRows);
}

TEST(TopValues, MergeOfExactPartsIsExact) {
  TopValues a, b, whole;
  for (int i = 0; i < 1000; ++i) {
    const std::string s = fastthread::testing::label("k", i % 150);
    add(i % 2 ? a : b, s);
    add(whole, s);
  }
  a.merge(b);
  EXPECT_TRUE(a.exact());
  const auto merged = a.top(150), expected = whole.top(150);
  ASSERT_EQ(merged.size(), expected.size());
  for (std::size_t i = 0; i < merged.size(); ++i) {
    EXPECT_EQ(merged[i].value, expected[i].value);
    EXPECT_EQ(merged[i].count, expected[i].count);
  }
  // Merged sketches keep working as sketches.
  for (int i = 0; i < 10; ++i) add(a, "k7");
  EXPECT_EQ(a.top(1)[0].value, "k7");
}

TEST(TopValues, MergeBeyondCapacityIsNotExact) {
  TopValues a, b;
  for (int i = 0; i < 200; ++i) add(a, fastthread::testing::label("a", i));
  for (int i = 0; i < 200; ++i) add(b, fastthread::testing::label("b", i));
  ASSERT_TRUE(a.exact());
  a.merge(b);
  EXPECT_FALSE(a.exact());
  EXPECT_EQ(a.top(1000).size(), TopValues::kCapacity);
}

}  // namespace
}  // namespace fastthread::sketch
