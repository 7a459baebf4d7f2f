// Log format strings (nginx log_format, Apache LogFormat): given this format and these
// lines, these columns and rows come back, in every chunking.
#include "log_template.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

std::vector<std::string> columns_of(std::string_view format) {
  std::string error;
  auto t = detail::LogTemplate::compile(format, error);
  EXPECT_TRUE(t) << error;
  return t ? t->columns() : std::vector<std::string>{};
}

std::string error_of(std::string_view format) {
  return check_log_format(format);
}

// The parser's record of `input` read by `format`, checked to be split invariant.
std::string parse(std::string_view format, std::string_view input) {
  return testing::expect_split_invariant(
      input,
      [&](const std::vector<std::string_view>& chunks) {
        testing::RecordingHandler handler;
        std::string error;
        auto parser = make_log_format_parser(format, true, {}, handler, error);
        if (!parser) return "bad format: " + error;
        for (std::string_view chunk : chunks) parser->feed(chunk);
        parser->finish();
        return handler.log;
      },
      50);
}

TEST(LogTemplate, NginxVariablesTakeTheCombinedColumnNames) {
  EXPECT_EQ(columns_of("$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                       "\"$http_referer\" \"$http_user_agent\" $request_time ${upstream_response_time}"),
            (std::vector<std::string>{"ip", "user", "time", "method", "path", "protocol", "status", "bytes",
                                      "referer", "user_agent", "request_time", "upstream_response_time"}));
  EXPECT_EQ(columns_of("$time_iso8601 $host $time_local $status $status"),
            (std::vector<std::string>{"time", "host", "time_2", "status", "status_2"}));
}

TEST(LogTemplate, ApacheDirectivesTakeTheCombinedColumnNames) {
  EXPECT_EQ(columns_of("%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\" %D %{X-Forwarded-For}i"),
            (std::vector<std::string>{"ip", "ident", "user", "time", "method", "path", "protocol", "status",
                                      "bytes", "referer", "user_agent", "duration_us", "x_forwarded_for"}));
  EXPECT_EQ(columns_of("%a %{ms}T %T %400,501{Accept}i %{c}o %{sid}C %Z %{%d/%b/%Y}t %%"),
            (std::vector<std::string>{"client_ip", "duration_ms", "duration_s", "accept", "sent_c", "cookie_sid",
                                      "Z", "time"}));
}

TEST(LogTemplate, TellsTheSyntaxByWhichSignComesFirst) {
  std::string error;
  EXPECT_EQ(detail::LogTemplate::compile("$status 100%", error)->syntax(), detail::LogSyntax::nginx);
  EXPECT_EQ(detail::LogTemplate::compile("%>s $5", error)->syntax(), detail::LogSyntax::apache);
  EXPECT_EQ(columns_of("%>s cost=$5"), (std::vector<std::string>{"status"}));
}

TEST(LogTemplate, MalformedFormatsSayWhereAndWhy) {
  EXPECT_EQ(error_of(""), "it is empty");
  EXPECT_EQ(error_of("just text"), "it names no field ($variable or %directive)");
  EXPECT_EQ(error_of("$status $"), "'$' at character 9 is not followed by a variable name");
  EXPECT_EQ(error_of("$status ${host"), "'${' at character 9 has no closing '}'");
  EXPECT_EQ(error_of("$status$host"),
            "'$host' at character 8 follows '$status' with nothing between them, so where one ends cannot be "
            "told");
  EXPECT_EQ(error_of("%h %"), "'%' at character 4 is not followed by a directive letter");
  EXPECT_EQ(error_of("%h %{Referer"), "'%{' at character 4 has no closing '}'");
  EXPECT_EQ(error_of("%h %{}i"), "'%{}' at character 4 names nothing between its braces");
  EXPECT_EQ(error_of("%h %>"), "'%>' at character 4 is not followed by a directive letter");
  EXPECT_EQ(error_of("%h%l"), "'%l' at character 3 follows '%h' with nothing between them, so where one ends "
                              "cannot be told");
  EXPECT_EQ(error_of("%h %l"), "");
  // The format is repeated in the summary, which is JSON.
  EXPECT_EQ(error_of("$remote_addr \xB2 $status"), "byte 0xB2 at character 14 is not UTF-8 text");
  EXPECT_EQ(error_of("%h \xC3\xA9 %>s"), "");
}

TEST(LogTemplate, ReadsNginxLinesWithDashesAsNullAndTimeAsIso) {
  EXPECT_EQ(parse("$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                  "\"$http_referer\" $request_time $upstream_response_time",
                  "10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] \"GET /a?b=1 HTTP/1.1\" 200 5 \"-\" 0.004 -\n"
                  "10.0.0.2 - bob [02/Jan/2024:10:00:00 -0130] \"-\" 400 0 \"http://x/\" 0.000 1.5, 0.25\n"),
            "row 1 line 1 @0: [text 10.0.0.1] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /a?b=1] "
            "[text HTTP/1.1] [text 200] [text 5] [null -] [text 0.004] [null -]\n"
            "row 2 line 2 @82: [text 10.0.0.2] [text bob] [text 2024-01-02T10:00:00-01:30] [text ] [text -] "
            "[text ] [text 400] [text 0] [text http://x/] [text 0.000] [text 1.5, 0.25]\n");
}

TEST(LogTemplate, QuotedFieldsKeepEscapedQuotes) {
  EXPECT_EQ(parse("%h \\\"%r\\\" \\\"%{User-Agent}i\\\" %>s",
                  "h \"GET /q=\\\"x\\\"&p=\\\\ HTTP/1.1\" \"A \\\"B\\\"\" 200\n"),
            "row 1 line 1 @0: [text h] [text GET] [text /q=\\\"x\\\"&p=\\\\] [text HTTP/1.1] "
            "[text A \\\"B\\\"] [text 200]\n");
  // An empty quoted value is empty text (a null token by default), not a mismatch.
  EXPECT_EQ(parse("\"$http_referer\" $status", "\"\" 200\n"),
            "row 1 line 1 @0: [text ] [text 200]\n");
}

TEST(LogTemplate, ASpaceInTheFormatTakesARunOfSpaces) {
  EXPECT_EQ(parse("$remote_addr $status", "h    200\n"), "row 1 line 1 @0: [text h] [text 200]\n");
}

TEST(LogTemplate, LinesThatDoNotMatchSayWhatWasExpectedWhere) {
  const std::string format = "%h %l %u %t \"%r\" %>s %b %D";
  EXPECT_EQ(parse(format, "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5\n"),
            "bad bad_log_line row 1 line 1 @0 col 'bytes': expected the bytes followed by ' ' at column 57\n");
  EXPECT_EQ(parse(format, "h - - [01/Jan/2024 00:00:01] \"GET / HTTP/1.1\" 200 5 1\n"),
            "bad bad_log_line row 1 line 1 @0 col 'time': expected the time like 10/Oct/2000:13:55:36 -0700 at "
            "column 8\n");
  EXPECT_EQ(parse(format, "h - - 01/Jan/2024:00:00:01 +0000 \"GET / HTTP/1.1\" 200 5 1\n"),
            "bad bad_log_line row 1 line 1 @0 col 'time': expected ' [' before the time at column 7\n");
  EXPECT_EQ(parse(format, "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1 200 5 1\n"),
            "bad bad_log_line row 1 line 1 @0 col '': expected the request and its closing '\"' at column "
            "37\n");
  // The last field takes the rest of the line (nginx writes "1.5, 0.25" for two upstreams);
  // after a closing literal nothing may follow.
  EXPECT_EQ(parse(format, "h - - [01/Jan/2024:00:00:01 +0000] \"GET / HTTP/1.1\" 200 5 1 extra\n"),
            "row 1 line 1 @0: [text h] [null -] [null -] [text 2024-01-01T00:00:01+00:00] [text GET] [text /] "
            "[text HTTP/1.1] [text 200] [text 5] [text 1 extra]\n");
  EXPECT_EQ(parse("%h \"%r\"", "h \"GET /\" extra\n"),
            "bad bad_log_line row 1 line 1 @0 col '': expected the end of the line at column 10\n");
  EXPECT_EQ(parse(format, "h\n"),
            "bad bad_log_line row 1 line 1 @0 col 'ip': expected the ip followed by ' ' at column 1\n");
}

TEST(LogTemplate, TimeTextLivesInTheTemplateAndEachTimeHasItsOwn) {
  std::string error;
  auto t = detail::LogTemplate::compile("[$time_local] [$time_local]", error);
  ASSERT_TRUE(t) << error;
  Field fields[2];
  detail::LogError why;
  ASSERT_TRUE(t->match("[01/Jan/2024:00:00:01 +0000] [02/Feb/2025:00:00:02 +0100]", fields, why));
  EXPECT_EQ(fields[0].text, "2024-01-01T00:00:01+00:00");
  EXPECT_EQ(fields[1].text, "2025-02-02T00:00:02+01:00");
  const char* first = fields[0].text.data();
  ASSERT_TRUE(t->match("[03/Mar/2024:00:00:01 +0000] [02/Feb/2025:00:00:02 +0100]", fields, why));
  EXPECT_EQ(fields[0].text.data(), first);
  EXPECT_EQ(fields[0].text, "2024-03-03T00:00:01+00:00");
}

TEST(LogTemplate, RandomMutationsAreSplitInvariant) {
  const std::string format =
      "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
      "\"$http_user_agent\" $request_time";
  std::string base;
  for (int i = 0; i < 20; ++i) {
    base += "10.0.0." + std::to_string(i) + " - - [01/Jan/2024:00:00:01 +0000] \"GET /p" + std::to_string(i) +
            " HTTP/1.1\" 200 " + std::to_string(i * 7) + " \"-\" \"agent \\\"x\\\"\" 0.0" + std::to_string(i) +
            "\n";
  }
  std::mt19937_64 rng(5);
  const std::string noise = " \"[]\\-\n\r\xC3$%0";
  for (int round = 0; round < 20; ++round) {
    std::string input = base;
    for (int k = 0; k < 15; ++k) input[rng() % input.size()] = noise[rng() % noise.size()];
    parse(format, input);
  }
}

}  // namespace
}  // namespace fastthread
