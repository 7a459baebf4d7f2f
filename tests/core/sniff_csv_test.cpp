#include "sniff_csv.hpp"

#include <gtest/gtest.h>

namespace fastthread::detail {
namespace {

TEST(SplitSample, UnquotesAndKeepsDelimitersAndLineEndsInsideQuotes) {
  const SampleRecords records =
      split_sample("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\n\"x\ny\",z\n", ',', true, 100);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ(records[1], (std::vector<std::string>{"x\ny", "z"}));
}

TEST(SplitSample, DropsACutOffLastRecordUnlessItIsTheOnlyOne) {
  EXPECT_EQ(split_sample("a,b\nc,d\ne", ',', false, 100).size(), 2u);
  EXPECT_EQ(split_sample("a,b\nc,d\ne", ',', true, 100).size(), 3u);
  EXPECT_EQ(split_sample("a,b\n\"c\nd", ',', false, 100).size(), 1u);
  EXPECT_EQ(split_sample("a,b,c", ',', false, 100).size(), 1u);
  EXPECT_EQ(split_sample("1\n2\n3\n4\n", ',', true, 2).size(), 2u);
}

TEST(SplitSample, QuotesCountOnlyAtTheStartOfAField) {
  const SampleRecords records = split_sample("a;\"b;c\"\n", ',', true, 100);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"a;\"b;c\""}));
}

TEST(LooksNumericOrDate, AcceptsNumbersAndDatesOnly) {
  for (const char* yes : {"0", "-12", "+3.5", ".5", "1e9", "2.5E-3", " 42 ", "2024-01-31",
                          "2024-01-31T10:00:00", "31/12/2024", "1/2/24"}) {
    EXPECT_TRUE(looks_numeric_or_date(yes)) << yes;
  }
  for (const char* no : {"", "abc", "1e", "1.2.3", "-", "12a", "2024-1-31x", "name", "1/2"}) {
    EXPECT_FALSE(looks_numeric_or_date(no)) << no;
  }
}

TEST(GuessHeader, FollowsTheDocumentedRule) {
  EXPECT_TRUE(guess_header({{"id", "name"}, {"1", "alice"}, {"2", "bob"}}).present);
  EXPECT_FALSE(guess_header({{"1", "name"}, {"2", "alice"}}).present);
  EXPECT_FALSE(guess_header({{"id", "id"}, {"1", "alice"}}).present);
  EXPECT_FALSE(guess_header({{"id", ""}, {"1", "alice"}}).present);
  EXPECT_FALSE(guess_header({{"ab", "cd"}, {"ef", "gh"}}).present);
  EXPECT_TRUE(guess_header({{"code", "cd"}, {"ef", "gh"}, {"ij", "kl"}}).present);  // votes +1 -1
  EXPECT_TRUE(guess_header({{"first", "last"}, {"alice", "smith"}, {"bob", "jones"}}).present);
  EXPECT_TRUE(guess_header({{"flag", "n"}, {"true", "1"}}).present);
  EXPECT_TRUE(guess_header({{"only", "row"}}).present);
  EXPECT_FALSE(guess_header({}).present);
}

TEST(GuessDelimiter, PrefersConsistencyThenOrder) {
  DelimiterGuess g = guess_delimiter("a|b,c\nd|e,f\ng|h\n", true, ',');
  EXPECT_TRUE(g.found);
  EXPECT_EQ(g.delimiter, '|');
  EXPECT_EQ(g.reason, "'|' gives 2 fields on all 3 sampled records; ',' is inconsistent");
  EXPECT_EQ(g.records.size(), 3u);
  g = guess_delimiter("plain\ntext\n", true, ',');
  EXPECT_FALSE(g.found);
  g = guess_delimiter("a;b\n", true, '\t');
  EXPECT_EQ(g.reason, "';' gives 2 fields on the only sampled record");
  EXPECT_LT(g.confidence, 0.7);
}

}  // namespace
}  // namespace fastthread::detail
