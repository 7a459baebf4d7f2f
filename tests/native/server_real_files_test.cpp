// The real files of tests/data (Excel exports in Windows-1252 and UTF-16, logs read by a
// format string, W3C logs) uploaded to a real `fastthread serve` give `fastthread parse`'s
// summary (timings aside) and output, byte for byte, with the same options as query
// parameters.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

std::string read_data(const std::string& relative) {
  std::ifstream in(std::string(FASTTHREAD_TEST_DATA) + "/" + relative, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string percent_encoded(const std::string& text) {
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

struct RealFile {
  const char* path;  // under tests/data
  const char* option;  // a job option, or nullptr
  const char* value;
};

void PrintTo(const RealFile& file, std::ostream* out) { *out << file.path; }

class ServerRealFiles : public ::testing::TestWithParam<RealFile> {};

TEST_P(ServerRealFiles, AnUploadGivesTheCommandLinesSummaryAndOutput) {
  ServerProcess server({"--workers", "1"});
  const RealFile& file = GetParam();
  const std::string name = std::filesystem::path(file.path).filename().string();
  const std::string bytes = read_data(file.path);
  TempDir dir;
  dir.write(name, bytes);
  std::vector<std::string> args = {"parse", dir.path(name), "--name", name, "--to", "ndjson", "-o",
                                   dir.path("cli.out"), "--summary", dir.path("cli.json"), "-q"};
  std::string query = "name=" + percent_encoded(name) + "&to=ndjson&wait=30";
  if (file.option) {
    std::string flag = std::string("--") + file.option;
    for (char& c : flag) c = c == '_' ? '-' : c;
    args.insert(args.end(), {flag, file.value});
    query += std::string("&") + file.option + "=" + percent_encoded(file.value);
  }
  const auto cli = run_fastthread(args);
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  auto expected = nlohmann::ordered_json::parse(dir.read("cli.json"));
  expected.erase("timings");

  auto r = http_request(server.port(), "POST", "/api/jobs?" + query, bytes);
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = r.json();
  ASSERT_EQ(doc["state"], "done") << r.body;
  auto summary = doc["summary"];
  summary.erase("timings");
  EXPECT_EQ(summary.dump(1), expected.dump(1));
  EXPECT_TRUE(http_request(server.port(), "GET", doc["output"]["url"]).body == dir.read("cli.out"));
}

INSTANTIATE_TEST_SUITE_P(
    TestData, ServerRealFiles,
    ::testing::Values(
        RealFile{"encodings/excel_1252_sep.csv", nullptr, nullptr},
        RealFile{"encodings/excel_unicode_text.txt", nullptr, nullptr},
        RealFile{"encodings/latin1.csv", "encoding", "latin-1"},
        RealFile{"log/iis_w3c.log", nullptr, nullptr},
        RealFile{"log/nginx_main.log", "log_format",
                 "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
                 "\"$http_user_agent\" \"$http_x_forwarded_for\" $request_time $upstream_response_time"},
        RealFile{"log/apache_vhost.log", "log_format",
                 "%v:%p %h %l %u %t \\\"%r\\\" %>s %O \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\" %D"}),
    [](const ::testing::TestParamInfo<RealFile>& info) {
      std::string name = std::filesystem::path(info.param.path).filename().string();
      for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

}  // namespace
}  // namespace fastthread::testing
