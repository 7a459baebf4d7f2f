// W3C extended logs (IIS): given these directives and lines, these columns and rows come
// back, in every chunking.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fastthread/format.hpp"
#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

struct Parsed {
  std::string log;
  std::vector<std::string> columns;
};

Parsed parse(std::string_view input, Limits limits = {}) {
  Parsed last;
  last.log = testing::expect_split_invariant(
      input,
      [&](const std::vector<std::string_view>& chunks) {
        testing::RecordingHandler handler;
        auto parser = make_log_parser(LogVariant::w3c, true, limits, handler);
        for (std::string_view chunk : chunks) parser->feed(chunk);
        parser->finish();
        last.columns = parser->columns().names();
        return handler.log;
      },
      50);
  return last;
}

TEST(W3cLog, DirectivesAreNotRowsAndFieldsNameTheColumns) {
  const Parsed p = parse(
      "#Software: Microsoft Internet Information Services 10.0\n"
      "#Version: 1.0\n"
      "#Date: 2024-01-01 00:00:00\n"
      "#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)\n"
      "2024-01-01 00:00:01 203.0.113.9 GET /a - 200 Mozilla/5.0+(Windows+NT+10.0)\n");
  EXPECT_EQ(p.columns, (std::vector<std::string>{"date", "time", "c-ip", "cs-method", "cs-uri-stem", "cs-uri-query",
                                                 "sc-status", "cs(User-Agent)"}));
  EXPECT_EQ(p.log,
            "row 1 line 5 @181: [text 2024-01-01] [text 00:00:01] [text 203.0.113.9] [text GET] [text /a] "
            "[null -] [text 200] [text Mozilla/5.0+(Windows+NT+10.0)]\n");
}

TEST(W3cLog, ARepeatedHeaderChangesNothingAndANewOneMapsByName) {
  const Parsed p = parse(
      "#Fields: date c-ip sc-status\n"
      "2024-01-01 10.0.0.1 200\n"
      "#Fields: date c-ip sc-status\n"
      "2024-01-02 10.0.0.2 404\n"
      "#Fields: sc-status date sc-bytes\n"
      "500 2024-01-03 12\n");
  EXPECT_EQ(p.columns, (std::vector<std::string>{"date", "c-ip", "sc-status", "sc-bytes"}));
  EXPECT_EQ(p.log,
            "row 1 line 2 @29: [text 2024-01-01] [text 10.0.0.1] [text 200]\n"
            "row 2 line 4 @82: [text 2024-01-02] [text 10.0.0.2] [text 404]\n"
            "row 3 line 6 @139: [text 2024-01-03] [missing ] [text 500] [text 12]\n");
}

TEST(W3cLog, BadLinesSayWhatWasExpected) {
  const Parsed p = parse(
      "2024-01-01 10.0.0.1 200\n"
      "#Fields: date c-ip sc-status\n"
      "2024-01-01 10.0.0.1\n"
      "2024-01-01 10.0.0.1 200 extra\n"
      "2024-01-01 \"a b\" 200\n"
      "2024-01-01 \"a b 200\n"
      "#Fields:\n"
      "2024-01-01 10.0.0.1 200\n");
  EXPECT_EQ(p.log,
            "bad bad_log_line row 1 line 1 @0 col '': expected a #Fields: directive before the first data line\n"
            "bad bad_log_line row 2 line 3 @53 col 'sc-status': expected 3 values as #Fields: names, found 2\n"
            "bad bad_log_line row 3 line 4 @73 col '': expected 3 values as #Fields: names, found more at column "
            "25\n"
            "row 4 line 5 @103: [text 2024-01-01] [text a b] [text 200]\n"
            "bad bad_log_line row 5 line 6 @124 col 'c-ip': expected '\"' ending the value at column 12\n"
            "bad bad_log_line row 6 line 7 @144 col '': expected field names after #Fields:\n"
            "bad bad_log_line row 7 line 8 @153 col '': expected a #Fields: directive before the first data line\n");
}

TEST(W3cLog, AFieldsLinePastTheColumnLimitIsRefused) {
  Limits limits;
  limits.max_columns = 2;
  const Parsed p = parse("#Fields: a b c\n1 2 3\n#Fields: a b\n1 2\n", limits);
  EXPECT_EQ(p.log,
            "bad too_many_columns row 1 line 1 @0 col '': expected at most 2 columns (max_columns), found 3\n"
            "bad bad_log_line row 2 line 2 @15 col '': expected a #Fields: directive before the first data line\n"
            "row 3 line 4 @34: [text 1] [text 2]\n");
}

TEST(W3cLog, SniffedByItsFirstDirective) {
  for (std::string_view head : {"#Software: IIS\n#Fields: a\n1\n", "#Version: 1.0\n", "\xEF\xBB\xBF#Fields: a b\n"}) {
    SniffRequest request;
    request.head = head;
    const Detected d = sniff(request);
    EXPECT_EQ(d.format, Format::log) << head;
    EXPECT_EQ(d.log, LogVariant::w3c) << head;
    EXPECT_NE(d.reason.find("a W3C extended log directive"), std::string::npos) << d.reason;
  }
  SniffRequest forced;
  forced.head = "#Date: 2024-01-01 00:00:00\n";
  forced.format = Format::log;
  EXPECT_EQ(sniff(forced).log, LogVariant::w3c);
  SniffRequest comment;
  comment.head = "# a comment\na,b\n1,2\n";
  EXPECT_NE(sniff(comment).log, LogVariant::w3c);
}

TEST(W3cLog, RandomMutationsAreSplitInvariant) {
  std::string base = "#Software: IIS\n#Fields: date time c-ip cs-method cs-uri-stem sc-status\n";
  for (int i = 0; i < 20; ++i) {
    if (i == 10) base += "#Fields: date c-ip sc-status sc-bytes\n";
    base += "2024-01-01 00:00:0" + std::to_string(i % 10) + " 10.0.0." + std::to_string(i) + " GET /p" +
            std::to_string(i) + " 200\n";
  }
  std::mt19937_64 rng(3);
  const std::string noise = " \"#-\n\r\xC3:F0";
  for (int round = 0; round < 20; ++round) {
    std::string input = base;
    for (int k = 0; k < 12; ++k) input[rng() % input.size()] = noise[rng() % noise.size()];
    Limits limits;
    limits.max_columns = round % 2 ? 7 : 100;
    parse(input, limits);
  }
}

}  // namespace
}  // namespace fastthread
