#include "fastthread/sketch/top_values.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <unordered_map>

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
  ASSERT_EQ(top.values.size(), 3u);
  // 28 values have count 7; ties go by text ascending, and exact counts are listed as such.
  EXPECT_EQ(top.values[0].value, "v104");
  EXPECT_EQ(top.values[1].value, "v111");
  EXPECT_EQ(top.values[2].value, "v118");
  for (const auto& e : top.values) {
    EXPECT_EQ(e.count, 7u);
    EXPECT_EQ(e.error, 0u);
  }
  EXPECT_EQ(top.others_max, 7u);
  EXPECT_EQ(t.top(1000).others_max, 0u);  // everything listed
}

TEST(TopValues, LongValuesAreCut) {
  TopValues t;
  const std::string long_value(1000, 'x');
  add(t, long_value);
  add(t, long_value);
  const auto top = t.top(10).values;
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].count, 2u);
  EXPECT_TRUE(top[0].truncated);
  EXPECT_EQ(top[0].value.size(), TopValues::kMaxValueBytes);
}

using Exact = std::unordered_map<std::string, std::uint64_t>;

std::uint64_t truth_of(const Exact& exact, const std::string& value) {
  const auto it = exact.find(value);
  return it == exact.end() ? 0 : it->second;
}

// The guarantees of Space-Saving, checked against exact counts: every counter's value has
// its true count in [count, count + error], errors are at most n / capacity, and every
// value more frequent than unmonitored_max() holds a counter. Then those of the listing:
// every listed value's bounds are true, no value left out occurred more than others_max
// times (so every value above it is listed), and each listed value is truly more frequent
// than every value left out. Returns the listing.
TopValues::Listing expect_guarantees(const TopValues& t, const Exact& exact, std::uint64_t n,
                                     std::uint32_t k = 10) {
  const std::uint64_t bound = n / TopValues::kCapacity;
  std::unordered_map<std::string, std::uint64_t> counted;
  for (const auto& e : t.counted()) {
    const std::uint64_t truth = truth_of(exact, e.value);
    EXPECT_LE(e.count, truth) << e.value;
    EXPECT_LE(truth, e.count + e.error) << e.value;
    EXPECT_LE(e.error, bound) << e.value;
    counted[e.value] = truth;
  }
  EXPECT_LE(t.unmonitored_max(), bound);
  const auto listing = t.top(k);
  EXPECT_LE(listing.values.size(), k);
  std::unordered_map<std::string, std::uint64_t> listed;
  std::uint64_t least_listed = UINT64_MAX;
  for (const auto& e : listing.values) {
    const std::uint64_t truth = truth_of(exact, e.value);
    EXPECT_LE(e.count, truth) << e.value;
    EXPECT_LE(truth, e.count + e.error) << e.value;
    if (!t.exact()) {
      EXPECT_GT(e.count, listing.others_max) << e.value;
    }
    listed[e.value] = truth;
    least_listed = std::min(least_listed, truth);
  }
  std::uint64_t most_left_out = 0;
  for (const auto& [value, count] : exact) {
    if (count > t.unmonitored_max()) {
      EXPECT_TRUE(counted.count(value)) << value << " with " << count;
    }
    if (listed.count(value)) continue;
    EXPECT_LE(count, listing.others_max) << value;
    most_left_out = std::max(most_left_out, count);
  }
  if (!listing.values.empty() && !t.exact()) {
    EXPECT_GT(least_listed, most_left_out);
  }
  return listing;
}

Exact count_exactly(const std::vector<std::string>& values) {
  Exact exact;
  exact.reserve(values.size());
  for (const auto& v : values) ++exact[v];
  return exact;
}

TopValues sketch_of(const std::vector<std::string>& values) {
  TopValues t;
  for (const auto& v : values) add(t, v);
  return t;
}

// Random splits into `parts` pieces at random places, merged in order.
TopValues merged_of(const std::vector<std::string>& values, std::size_t parts, std::uint64_t seed) {
  fastthread::testing::Rng rng(seed);
  std::vector<std::size_t> cuts{0, values.size()};
  for (std::size_t p = 1; p < parts; ++p) cuts.push_back(static_cast<std::size_t>(rng.below(values.size())));
  std::sort(cuts.begin(), cuts.end());
  TopValues merged;
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    TopValues part;
    for (std::size_t i = cuts[p]; i < cuts[p + 1]; ++i) add(part, values[i]);
    merged.merge(part);
  }
  return merged;
}

std::vector<std::string> zipf_words(std::uint64_t seed) {
  const auto ranks = fastthread::testing::zipf_ranks(kRows, 100'000, 1.1, seed);
  std::vector<std::string> words(kRows);
  for (std::size_t i = 0; i < kRows; ++i) words[i] = fastthread::testing::zipf_word(ranks[i]);
  return words;
}

TEST(TopValues, ZipfMillionHeavyHittersExact) {
  const auto words = zipf_words(11);
  const Exact exact = count_exactly(words);
  std::vector<std::pair<std::uint64_t, std::string>> by_count;
  for (const auto& [w, c] : exact) by_count.emplace_back(c, w);
  std::sort(by_count.begin(), by_count.end(), [](auto& a, auto& b) { return a.first > b.first; });

  const TopValues whole = sketch_of(words);
  EXPECT_FALSE(whole.exact());
  EXPECT_EQ(whole.total(), kRows);
  const auto top = expect_guarantees(whole, exact, kRows).values;
  ASSERT_EQ(top.size(), 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(top[i].value, by_count[i].second);
    EXPECT_EQ(top[i].count, by_count[i].first);
    EXPECT_EQ(top[i].error, 0u);
  }
  for (std::size_t parts : {2, 3, 10}) {
    const TopValues merged = merged_of(words, parts, parts);
    EXPECT_EQ(merged.total(), kRows);
    const auto merged_top = expect_guarantees(merged, exact, kRows).values;
    ASSERT_EQ(merged_top.size(), 10u) << parts << " parts";
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(merged_top[i].value, by_count[i].second) << parts << " parts";
      EXPECT_EQ(merged_top[i].count, by_count[i].first) << parts << " parts";
    }
  }
}

TEST(TopValues, UniformMillionKeepsGuarantees) {
  const auto ints = fastthread::testing::uniform_ints(kRows, 5000, 12);
  std::vector<std::string> values(kRows);
  for (std::size_t i = 0; i < kRows; ++i) values[i] = std::to_string(ints[i]);
  const Exact exact = count_exactly(values);
  // About 200 each: no value stands out from the others, so none may be listed as a
  // leader unless its bounds prove it.
  expect_guarantees(sketch_of(values), exact, kRows);
  expect_guarantees(merged_of(values, 7, 3), exact, kRows);
}

// Every value different: nothing can be vouched for, so nothing is listed, however the
// values come (in order or shuffled), and the bound says no value occurred often.
TEST(TopValues, AllDistinctListsNothing) {
  const std::size_t n = 1'200'000;
  std::vector<std::string> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = std::to_string(i + 1);
  const Exact exact = count_exactly(ids);
  for (int order = 0; order < 2; ++order) {
    if (order == 1) {
      fastthread::testing::Rng rng(5);
      for (std::size_t i = n - 1; i > 0; --i) std::swap(ids[i], ids[static_cast<std::size_t>(rng.below(i + 1))]);
    }
    const TopValues t = sketch_of(ids);
    const auto listing = expect_guarantees(t, exact, n);
    EXPECT_TRUE(listing.values.empty()) << listing.values[0].value << ": " << listing.values[0].count;
    EXPECT_GE(listing.others_max, 1u);
    EXPECT_TRUE(merged_of(ids, 5, 9).top(10).values.empty());
  }
}

// 500 ids once each overflow the 256 counters: the counters read 1 or 2, but no id may be
// listed with a count of 2.
TEST(TopValues, FiveHundredDistinctListsNothing) {
  std::vector<std::string> ids;
  for (int i = 1; i <= 500; ++i) ids.push_back(std::to_string(i));
  const TopValues t = sketch_of(ids);
  EXPECT_FALSE(t.exact());
  const auto listing = expect_guarantees(t, count_exactly(ids), ids.size());
  EXPECT_TRUE(listing.values.empty());
}

// Sorted input, runs of growing length: ascending ids where id i occurs (i % 50) + 1
// times, then the same column in descending order.
TEST(TopValues, SortedRunsKeepGuarantees) {
  std::vector<std::string> values;
  for (int i = 0; values.size() < kRows; ++i) {
    for (int r = 0; r <= i % 50; ++r) values.push_back(fastthread::testing::label("id", i));
  }
  const Exact exact = count_exactly(values);
  expect_guarantees(sketch_of(values), exact, values.size());
  std::reverse(values.begin(), values.end());
  expect_guarantees(sketch_of(values), exact, values.size());
}

// The pattern that defeats Space-Saving's exactness: 900,000 different values fill the
// counters with large errors, then ten heavy hitters arrive, 10,000 times each,
// interleaved. They must be listed, with bounds that hold, above every other value.
TEST(TopValues, LateHeavyHittersAreListedWithTrueBounds) {
  std::vector<std::string> values;
  values.reserve(kRows);
  for (int i = 0; i < 900'000; ++i) values.push_back(fastthread::testing::label("noise", i));
  for (int r = 0; r < 10'000; ++r) {
    for (int h = 0; h < 10; ++h) values.push_back(fastthread::testing::label("heavy", h));
  }
  const Exact exact = count_exactly(values);
  for (const TopValues& t : {sketch_of(values), merged_of(values, 4, 21)}) {
    const auto listing = expect_guarantees(t, exact, values.size());
    ASSERT_EQ(listing.values.size(), 10u);
    for (const auto& e : listing.values) {
      EXPECT_EQ(e.value.rfind("heavy", 0), 0u) << e.value;
      EXPECT_GT(e.error, 0u);  // they arrived late: their counts are bounds, not facts
    }
  }
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
  const auto merged = a.top(150).values, expected = whole.top(150).values;
  ASSERT_EQ(merged.size(), expected.size());
  for (std::size_t i = 0; i < merged.size(); ++i) {
    EXPECT_EQ(merged[i].value, expected[i].value);
    EXPECT_EQ(merged[i].count, expected[i].count);
    EXPECT_EQ(merged[i].error, 0u);
  }
  // Merged sketches keep working as sketches.
  for (int i = 0; i < 10; ++i) add(a, "k7");
  EXPECT_EQ(a.top(1).values[0].value, "k7");
}

TEST(TopValues, MergeBeyondCapacityIsNotExact) {
  TopValues a, b;
  for (int i = 0; i < 200; ++i) add(a, fastthread::testing::label("a", i));
  for (int i = 0; i < 200; ++i) add(b, fastthread::testing::label("b", i));
  ASSERT_TRUE(a.exact());
  a.merge(b);
  EXPECT_FALSE(a.exact());
  EXPECT_EQ(a.counted().size(), TopValues::kCapacity);
  EXPECT_TRUE(a.top(10).values.empty());  // 400 values once each
}

}  // namespace
}  // namespace fastthread::sketch
