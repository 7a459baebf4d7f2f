// CSV output: header, RFC 4180 quoting, JSON kinds as cells, short rows, edge cases.
#include <gtest/gtest.h>

#include "writer_test_util.hpp"

namespace fastthread {
namespace {

using testing::jbool;
using testing::jnull;
using testing::jnumber;
using testing::jraw;
using testing::jstring;
using testing::missing;
using testing::text;
using testing::write_rows;

WriterOptions csv(char delimiter = ',') {
  WriterOptions options;
  options.format = OutputFormat::csv;
  options.csv_delimiter = delimiter;
  return options;
}

// The CSV line written for a one-cell row (the header is column "h").
std::string cell(std::string_view s, char delimiter = ',') {
  const std::string out = write_rows(csv(delimiter), {"h", "z"}, {}, {{{text(s), text("z")}, {}}});
  const std::string prefix = std::string("h") + delimiter + "z\n";
  EXPECT_EQ(out.substr(0, prefix.size()), prefix);
  const std::string suffix = std::string(1, delimiter) + "z\n";
  EXPECT_EQ(out.substr(out.size() - suffix.size()), suffix);
  return out.substr(prefix.size(), out.size() - prefix.size() - suffix.size());
}

TEST(CsvWriter, WritesTheHeaderThenOneLinePerRow) {
  EXPECT_EQ(
      write_rows(csv(), {"id", "name"}, {}, {{{text("1"), text("ann")}, {}}, {{text("2"), text("bob")}, {}}}),
      "id,name\n1,ann\n2,bob\n");
}

TEST(CsvWriter, QuotesOnlyFieldsThatNeedIt) {
  EXPECT_EQ(cell("plain"), "plain");
  EXPECT_EQ(cell("two words"), "two words");
  EXPECT_EQ(cell(""), "");
  EXPECT_EQ(cell("a,b"), "\"a,b\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell("\""), "\"\"\"\"");
  EXPECT_EQ(cell("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(cell("cr\rlf"), "\"cr\rlf\"");
  EXPECT_EQ(cell("crlf\r\n"), "\"crlf\r\n\"");
  EXPECT_EQ(cell(" lead"), "\" lead\"");
  EXPECT_EQ(cell("trail "), "\"trail \"");
  EXPECT_EQ(cell(" "), "\" \"");
  EXPECT_EQ(cell("tab\there"), "tab\there");
  EXPECT_EQ(cell("semi;colon"), "semi;colon");
  // Specials past the first eight bytes, where whole words are checked at once.
  EXPECT_EQ(cell("0123456789abcdef,"), "\"0123456789abcdef,\"");
  EXPECT_EQ(cell("0123456789abcdefgh\"ij\"k"), "\"0123456789abcdefgh\"\"ij\"\"k\"");
  EXPECT_EQ(cell("0123456789abcdefghij"), "0123456789abcdefghij");
}

TEST(CsvWriter, QuotingFollowsTheDelimiter) {
  EXPECT_EQ(cell("a,b", '\t'), "a,b");
  EXPECT_EQ(cell("a\tb", '\t'), "\"a\tb\"");
  EXPECT_EQ(cell("0123456789\tb", '\t'), "\"0123456789\tb\"");
  EXPECT_EQ(cell("a;b", ';'), "\"a;b\"");
  EXPECT_EQ(write_rows(csv('\t'), {"a b", "c\td"}, {}, {{{text("1"), text("2")}, {}}}),
            "a b\t\"c\td\"\n1\t2\n");
}

TEST(CsvWriter, HeaderNamesAreQuotedByTheSameRules) {
  EXPECT_EQ(write_rows(csv(), {"a,b", "say \"x\"", " sp"}, {}, {}), "\"a,b\",\"say \"\"x\"\"\",\" sp\"\n");
}

TEST(CsvWriter, JsonKindsBecomeTheirTextNullAndMissingBecomeEmpty) {
  const std::string out = write_rows(csv(), {"s", "n", "b", "z", "j", "m", "t"}, {},
                                     {{{jstring("hi, there"), jnumber("-1.5e3"), jbool("true"), jnull(),
                                        jraw("[1,\"x\"]"), missing(), text("NA")},
                                       {}}});
  EXPECT_EQ(out, "s,n,b,z,j,m,t\n\"hi, there\",-1.5e3,true,,\"[1,\"\"x\"\"]\",,NA\n");
}

TEST(CsvWriter, ShortRowsArePaddedToTheHeaderWidth) {
  EXPECT_EQ(
      write_rows(csv(), {"a", "b", "c"}, {}, {{{text("1")}, {}}, {{}, {}}, {{text("1"), text("2")}, {}}}),
      "a,b,c\n1,,\n,,\n1,2,\n");
}

TEST(CsvWriter, AnEmptyCellInAOneColumnFileIsQuotedSoTheLineIsNotBlank) {
  EXPECT_EQ(write_rows(csv(), {"a"}, {}, {{{text("")}, {}}, {{missing()}, {}}, {{text("x")}, {}}, {{}, {}}}),
            "a\n\"\"\n\"\"\nx\n\"\"\n");
  EXPECT_EQ(write_rows(csv(), {""}, {}, {}), "\"\"\n");
}

TEST(CsvWriter, EmptyResults) {
  EXPECT_EQ(write_rows(csv(), {"a", "b"}, {}, {}), "a,b\n");
  EXPECT_EQ(write_rows(csv(), {}, {}, {}), "");
  EXPECT_EQ(write_rows(csv(), {}, {}, {{{}, {}}}), "");
}

}  // namespace
}  // namespace fastthread
