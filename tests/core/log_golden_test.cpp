// Access-log files of every variant: given this file, these rows and bad rows come back,
// in every chunking (tests/data/log/*.expected).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

using Chunks = std::vector<std::string_view>;

struct Golden {
  const char* file;
  LogVariant variant;
  const char* log_format;  // custom only
};

const Golden kGoldens[] = {
    {"nginx_combined.txt", LogVariant::combined, nullptr},
    {"nginx_main.log", LogVariant::custom,
     "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
     "\"$http_user_agent\" \"$http_x_forwarded_for\" $request_time $upstream_response_time"},
    {"apache_vhost.log", LogVariant::custom,
     "%v:%p %h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %D"},
    {"iis_w3c.log", LogVariant::w3c, nullptr},
};

void PrintTo(const Golden& golden, std::ostream* out) {
  *out << golden.file;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The rows and bad rows, then the columns as they stand at the end.
std::string run(const Golden& golden, const Chunks& chunks) {
  testing::RecordingHandler handler;
  std::string error;
  auto parser = golden.variant == LogVariant::custom
                    ? make_log_format_parser(golden.log_format, true, {}, handler, error)
                    : make_log_parser(golden.variant, true, {}, handler);
  if (!parser) return "bad format: " + error;
  for (std::string_view chunk : chunks) parser->feed(chunk);
  parser->finish();
  std::string out = handler.log + "columns:";
  for (const std::string& name : parser->columns().names()) out += " [" + name + "]";
  return out + "\n";
}

class LogGoldenTest : public ::testing::TestWithParam<Golden> {};

TEST_P(LogGoldenTest, MatchesExpectedLogInEveryChunking) {
  const Golden& golden = GetParam();
  const std::string path = std::string(FASTTHREAD_TEST_DATA) + "/log/" + golden.file;
  const std::string input = read_file(path);
  ASSERT_FALSE(input.empty()) << "missing golden input " << path;
  const std::string actual = run(golden, {input});
  if (std::getenv("FASTTHREAD_UPDATE_GOLDEN") != nullptr) {
    // Only on request; review the result with git diff before committing it.
    std::ofstream(path + ".expected", std::ios::binary) << actual;
  }
  EXPECT_EQ(read_file(path + ".expected"), actual)
      << path << ".expected does not match (FASTTHREAD_UPDATE_GOLDEN=1 rewrites it; review with git diff)";
  const std::string split =
      testing::expect_split_invariant(input, [&](const Chunks& chunks) { return run(golden, chunks); });
  EXPECT_EQ(split, actual);
}

INSTANTIATE_TEST_SUITE_P(Log, LogGoldenTest, ::testing::ValuesIn(kGoldens),
                         [](const ::testing::TestParamInfo<Golden>& param) {
                           std::string name;
                           for (const char* c = param.param.file; *c; ++c)
                             name += (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c : '_';
                           return name;
                         });

// The same lines read by the combined fast path and by the nginx default format string
// (which has no ident: nginx writes a literal '-' there) give the same values.
TEST(LogFormat, NginxDefaultStringReadsWhatTheCombinedVariantReads) {
  const std::string input = read_file(std::string(FASTTHREAD_TEST_DATA) + "/log/nginx_combined.txt");
  testing::RecordingHandler fast, custom;
  auto a = make_log_parser(LogVariant::combined, true, {}, fast);
  std::string error;
  auto b = make_log_format_parser(
      "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
      "\"$http_user_agent\"",
      true, {}, custom, error);
  ASSERT_TRUE(b) << error;
  a->feed(input);
  a->finish();
  b->feed(input);
  b->finish();
  // The good rows, without the ident the fast path adds after the address.
  const auto rows = [](const std::string& log, bool drop_ident) {
    std::string out;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("row ")) continue;
      if (drop_ident) line.erase(line.find(" [null -]"), 9);
      out += line + "\n";
    }
    return out;
  };
  // The last line has no referer: the combined variant takes it, the format string does not.
  EXPECT_EQ(fast.rows, 6u);
  EXPECT_EQ(custom.rows, 5u);
  const std::string expected = rows(fast.log, true);
  EXPECT_EQ(rows(custom.log, false), expected.substr(0, expected.find("row 7 "))) << custom.log;
}

}  // namespace
}  // namespace fastthread
