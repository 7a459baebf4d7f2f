#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

using testing::RecordingHandler;

std::string run(std::string_view input, LogVariant variant, const std::vector<std::string_view>& chunks,
                Limits limits = {}, bool skip_bom = true) {
  RecordingHandler handler;
  auto parser = make_log_parser(variant, skip_bom, limits, handler);
  for (std::string_view chunk : chunks) parser->feed(chunk);
  parser->finish();
  EXPECT_EQ(parser->bytes(), input.size());
  return handler.log;
}

std::string parse(std::string_view input, LogVariant variant = LogVariant::combined, Limits limits = {},
                  bool skip_bom = true) {
  return testing::expect_split_invariant(
      input,
      [&](const std::vector<std::string_view>& chunks) {
        return run(input, variant, chunks, limits, skip_bom);
      },
      100);
}

std::string read_data(const std::string& name) {
  std::ifstream in(std::string(FASTTHREAD_TEST_DATA) + "/log/" + name, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(LogParser, ColumnsAreKnownBeforeAnyInput) {
  RecordingHandler handler;
  auto combined = make_log_parser(LogVariant::combined, true, {}, handler);
  EXPECT_EQ(combined->columns().names(),
            (std::vector<std::string>{"ip", "ident", "user", "time", "method", "path", "protocol", "status",
                                      "bytes", "referer", "user_agent"}));
  auto common = make_log_parser(LogVariant::common, true, {}, handler);
  EXPECT_EQ(common->columns().names(), (std::vector<std::string>{"ip", "ident", "user", "time", "method",
                                                                 "path", "protocol", "status", "bytes"}));
}

TEST(LogParser, ReadsACombinedLine) {
  EXPECT_EQ(
      parse("127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1 HTTP/1.0\" 200 2326 "
            "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"\n"),
      "row 1 line 1 @0: [text 127.0.0.1] [null -] [text frank] [text 2000-10-10T13:55:36-07:00] [text GET] "
      "[text /apache_pb.gif?a=1] [text HTTP/1.0] [text 200] [text 2326] [text "
      "http://www.example.com/start.html] "
      "[text Mozilla/4.08 [en] (Win98; I ;Nav)]\n");
}

TEST(LogParser, ReadsACommonLineAndIgnoresTrailingPartsInTheCommonVariant) {
  const std::string expected =
      "row 1 line 1 @0: [text ::1] [null -] [null -] [text 2024-01-01T00:00:01+05:30] [text DELETE] [text "
      "/x] "
      "[text HTTP/1.1] [text 204] [text 0]\n";
  EXPECT_EQ(parse("::1 - - [01/Jan/2024:00:00:01 +0530] \"DELETE /x HTTP/1.1\" 204 0", LogVariant::common),
            expected);
  EXPECT_EQ(parse("::1 - - [01/Jan/2024:00:00:01 +0530] \"DELETE /x HTTP/1.1\" 204 0 \"-\" \"ua\" extra\n",
                  LogVariant::common),
            expected);
}

TEST(LogParser, CombinedVariantTakesCommonLinesWithMissingReferer) {
  EXPECT_EQ(
      parse("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"
            "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"r\"\n"),
      "row 1 line 1 @0: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5] [missing ] [missing ]\n"
      "row 2 line 2 @58: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5] [text r] [missing ]\n");
}

TEST(LogParser, EveryDashForAnAbsentPartIsNull) {
  EXPECT_EQ(
      parse("h - - [01/Jan/2024:00:00:01 +0000] \"HEAD / HTTP/1.1\" 304 - \"-\" \"-\"\n"),
      "row 1 line 1 @0: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text HEAD] [text /] "
      "[text HTTP/1.1] [text 304] [null -] [null -] [null -]\n");
  // A dash inside a longer value, or a quoted "--", is text.
  EXPECT_EQ(
      parse("h x-y - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 1 \"--\" \"-a\"\n"),
      "row 1 line 1 @0: [text h] [text x-y] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 1] [text --] [text -a]\n");
}

std::string request_parts(std::string_view request) {
  const std::string line = "h - - [01/Jan/2024:00:00:01 +0000] \"" + std::string(request) + "\" 400 0\n";
  const std::string log = parse(line, LogVariant::common);
  const std::size_t start = log.find("+00:00] ") + 8;
  return log.substr(start, log.find(" [text 400]") - start);
}

TEST(LogParser, SplitsRequestsByTheDocumentedRule) {
  EXPECT_EQ(request_parts("GET /a?b=1 HTTP/1.1"), "[text GET] [text /a?b=1] [text HTTP/1.1]");
  EXPECT_EQ(request_parts("-"), "[text ] [text -] [text ]");
  EXPECT_EQ(request_parts(""), "[text ] [text ] [text ]");
  EXPECT_EQ(request_parts("GET /index.html"), "[text GET] [text /index.html] [text ]");
  EXPECT_EQ(request_parts("GET /a b HTTP/1.1"), "[text GET] [text /a b] [text HTTP/1.1]");
  EXPECT_EQ(request_parts("M-SEARCH * HTTP/1.1"), "[text M-SEARCH] [text *] [text HTTP/1.1]");
  EXPECT_EQ(request_parts("\\x16\\x03\\x01\\x00\\xA5"), "[text ] [text \\x16\\x03\\x01\\x00\\xA5] [text ]");
  EXPECT_EQ(request_parts("\\x16\\x03 junk HTTP/1.1"), "[text ] [text \\x16\\x03 junk HTTP/1.1] [text ]");
}

TEST(LogParser, KeepsEscapesAsWritten) {
  const std::string log = parse(
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET /q=\\\"x\\\"&p=\\\\ HTTP/1.1\" 200 1 \"-\" \"A \\\"B\\\" "
      "\\xE2\"\n");
  EXPECT_NE(log.find("[text /q=\\\"x\\\"&p=\\\\] [text HTTP/1.1]"), std::string::npos) << log;
  EXPECT_NE(log.find("[text A \\\"B\\\" \\xE2]"), std::string::npos) << log;
}

TEST(LogParser, ReportsBadLinesWithPlaceAndGoesOn) {
  const std::string input =
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"
      "\n"
      "1.2.3.4 - - 01/Jan/2024:00:00:01 +0000 \"GET / HTTP/1.1\" 200 5\n"
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n";
  const std::string log = parse(input, LogVariant::common);
  EXPECT_NE(log.find("row 1 line 1 @0:"), std::string::npos);
  EXPECT_NE(
      log.find("bad bad_log_line row 2 line 3 @59 col 'time': expected '[' starting the time at column 13\n"),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("row 3 line 4 @121:"), std::string::npos) << log;
}

TEST(LogParser, SaysWhatWasExpected) {
  const auto bad = [](std::string_view line, LogVariant variant = LogVariant::combined) {
    return parse(std::string(line) + "\n", variant);
  };
  EXPECT_EQ(
      bad("h - - [32/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5"),
      "bad bad_log_line row 1 line 1 @0 col 'time': expected a time like 10/Oct/2000:13:55:36 -0700 followed "
      "by ']' at column 8\n");
  EXPECT_NE(bad("h - - [01/Foo/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5").find("expected a time like"),
            std::string::npos);
  EXPECT_EQ(bad("h - - [01/Jan/2024:00:00:01 +0000] GET / 200 5"),
            "bad bad_log_line row 1 line 1 @0 col '': expected '\"' starting the request at column 36\n");
  EXPECT_EQ(bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1 200 5"),
            "bad bad_log_line row 1 line 1 @0 col '': expected '\"' ending the request at column 57\n");
  EXPECT_EQ(
      bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" OK 5"),
      "bad bad_log_line row 1 line 1 @0 col 'status': expected the status code (digits) at column 55\n");
  EXPECT_EQ(bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5k"),
            "bad bad_log_line row 1 line 1 @0 col 'bytes': expected the response size (digits or '-') at "
            "column 57\n");
  EXPECT_EQ(bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200"),
            "bad bad_log_line row 1 line 1 @0 col 'bytes': expected the response size (digits or '-') at "
            "column 56\n");
  EXPECT_EQ(
      bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 ref"),
      "bad bad_log_line row 1 line 1 @0 col 'referer': expected '\"' starting the referer at column 59\n");
  EXPECT_EQ(bad("h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 \"r\" \"ua"),
            "bad bad_log_line row 1 line 1 @0 col 'user_agent': expected '\"' ending the user agent at "
            "column 66\n");
  EXPECT_EQ(bad("h"),
            "bad bad_log_line row 1 line 1 @0 col 'ident': expected the identity ('-' when unknown) at "
            "column 2\n");
  EXPECT_EQ(bad(" h - -"),
            "bad bad_log_line row 1 line 1 @0 col 'ip': expected the client address at column 1\n");
}

TEST(LogParser, ReportsInvalidUtf8) {
  const std::string log = parse(
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET /\xC3\x28 HTTP/1.1\" 200 5\n"
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET /\xC3\xA9 HTTP/1.1\" 200 5\n",
      LogVariant::common);
  EXPECT_NE(log.find("bad invalid_utf8 row 1 line 1 @0 col '': invalid UTF-8 at column 42\n"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("row 2 line 2 @60: [text h]"), std::string::npos) << log;
}

TEST(LogParser, SkipsTooLargeLinesWithoutBufferingThem) {
  const std::string ok = "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5";  // 57 bytes
  const std::string input =
      ok + "\n" + ok + std::string(200, 'x') + "\n" + ok + "\r\n" + ok + std::string(9, 'y');
  Limits limits;
  limits.max_record_bytes = 60;
  EXPECT_EQ(
      parse(input, LogVariant::common, limits),
      "row 1 line 1 @0: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5]\n"
      "bad record_too_large row 2 line 2 @58 col '': the line is longer than the limit of 60 bytes\n"
      "row 3 line 3 @316: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5]\n"
      "bad record_too_large row 4 line 4 @375 col '': the line is longer than the limit of 60 bytes\n");
}

TEST(LogParser, HandlesCrlfBlankLinesAndBom) {
  const std::string line = "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5";
  const std::string input = "\xEF\xBB\xBF" + line + "\r\n\r\n  \n" + line + "\r\n";
  EXPECT_EQ(
      parse(input, LogVariant::common),
      "row 1 line 1 @0: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5]\n"
      "row 2 line 4 @67: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
      "[text HTTP/1.1] [text 200] [text 5]\n");
  // Without skip_bom the mark is part of the first address.
  const std::string log = parse(input, LogVariant::common, {}, false);
  EXPECT_NE(log.find("row 1 line 1 @0: [text \xEF\xBB\xBFh]"), std::string::npos);
}

TEST(LogParser, DataFileIsSplitInvariant) {
  const std::string input = read_data("nginx_combined.txt");
  ASSERT_FALSE(input.empty());
  const std::string log = parse(input);
  RecordingHandler counter;
  auto parser = make_log_parser(LogVariant::combined, true, {}, counter);
  parser->feed(input);
  parser->finish();
  EXPECT_EQ(counter.rows, 6u) << log;
  EXPECT_EQ(counter.bad, 1u) << log;
  EXPECT_NE(
      log.find("[text ] [text \\x16\\x03\\x01\\x00\\xA5\\x01\\x00\\x00\\xA1\\x03\\x03] [text ] [text 400]"),
      std::string::npos)
      << log;
  EXPECT_NE(log.find("[text 2024-02-29T23:59:60+05:30]"), std::string::npos) << log;
  EXPECT_NE(log.find("bad bad_log_line row 6 line 7 "), std::string::npos) << log;
  EXPECT_NE(log.find("row 7 line 8 "), std::string::npos) << log;
}

TEST(LogParser, TimeTextLivesInOneParserBuffer) {
  struct TimePointers : RowHandler {
    std::vector<const char*> seen;
    bool on_row(std::span<const Field> fields, const Place&) override {
      seen.push_back(fields[3].text.data());
      return true;
    }
    bool on_bad_row(const Issue&) override { return true; }
  } handler;
  auto parser = make_log_parser(LogVariant::common, true, {}, handler);
  parser->feed(
      "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"
      "h - - [02/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n");
  parser->finish();
  ASSERT_EQ(handler.seen.size(), 2u);
  EXPECT_EQ(handler.seen[0], handler.seen[1]);
}

TEST(LogParser, StopsWhenTheHandlerSaysSo) {
  RecordingHandler handler;
  handler.stop_after_rows = 1;
  auto parser = make_log_parser(LogVariant::common, true, {}, handler);
  const std::string line = "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n";
  EXPECT_FALSE(parser->feed(line + line + line));
  EXPECT_FALSE(parser->feed(line));
  EXPECT_FALSE(parser->finish());
  EXPECT_EQ(handler.rows, 1u);
}

TEST(LogParser, ManyLinesInTinyChunksStayLinear) {
  std::string input;
  for (int i = 0; i < 2000; ++i) {
    input += "10.0.0." + std::to_string(i % 250) + " - - [01/Jan/2024:00:00:01 +0000] \"GET /p" +
             std::to_string(i) + " HTTP/1.1\" 200 " + std::to_string(i) + " \"-\" \"agent\"\n";
  }
  std::mt19937_64 rng(7);
  const std::string whole = run(input, LogVariant::combined, testing::split(input, 0, rng));
  EXPECT_EQ(run(input, LogVariant::combined, testing::split(input, 1, rng)), whole);
  EXPECT_EQ(std::count(whole.begin(), whole.end(), '\n'), 2000);
}

}  // namespace
}  // namespace fastthread

namespace fastthread {
namespace {

TEST(LogParser, RandomMutationsAreSplitInvariant) {
  const std::string base = read_data("nginx_combined.txt");
  std::mt19937_64 rng(11);
  const std::string noise =
      " \"[]\\-\n\r\xC3\xFF"
      "0";
  for (int round = 0; round < 30; ++round) {
    std::string input = base;
    for (int k = 0; k < 20; ++k) input[rng() % input.size()] = noise[rng() % noise.size()];
    Limits limits;
    limits.max_record_bytes = round % 2 ? 120 : 1000;
    parse(input, round % 3 ? LogVariant::combined : LogVariant::common, limits);
  }
}

}  // namespace
}  // namespace fastthread
