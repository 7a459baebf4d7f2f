// `fastthread serve` with compressed uploads: the spool holds the bytes as uploaded, the
// worker decompresses as it reads, progress runs against the upload's size, and a bomb is
// answered with too_large leaving nothing behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>

#include "compress_helpers.hpp"
#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

nlohmann::ordered_json without_timings(nlohmann::ordered_json summary) {
  summary.erase("timings");
  return summary;
}

struct CliResult {
  nlohmann::ordered_json summary;
  std::string output;
};

CliResult parse_with_cli(TempDir& dir, const std::string& name, const std::string& content, const std::string& to) {
  dir.write(name, content);
  auto r = run_fastthread({"parse", dir.path(name), "--name", name, "--to", to, "-o", dir.path(name + ".out"),
                           "--summary", dir.path(name + ".summary"), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return {nlohmann::ordered_json::parse(dir.read(name + ".summary")), dir.read(name + ".out")};
}

std::size_t files_in(const std::string& folder) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) n += entry.is_regular_file() ? 1 : 0;
  return n;
}

TEST(ServerCompressed, AGzipUploadOverHttpMatchesTheCommandLine) {
  ServerProcess server({"--workers", "1"});
  TempDir dir;
  const std::string csv = make_csv(2 << 20);
  const std::string gz = gzip(csv.substr(0, csv.size() / 3)) + gzip(csv.substr(csv.size() / 3));
  const CliResult cli = parse_with_cli(dir, "sales.csv.gz", gz, "csv");
  EXPECT_EQ(cli.summary["file"]["compression"], "gzip");

  auto r = http_request(server.port(), "POST", "/api/jobs?name=sales.csv.gz&to=csv&wait=30", gz);
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = r.json();
  EXPECT_EQ(doc["state"], "done");
  EXPECT_TRUE(without_timings(doc["summary"]) == without_timings(cli.summary))
      << doc["summary"]["file"] << " vs " << cli.summary["file"];
  EXPECT_EQ(doc["summary"]["file"]["compressed_bytes"], gz.size());
  EXPECT_EQ(doc["summary"]["file"]["bytes"], csv.size());
  EXPECT_TRUE(http_request(server.port(), "GET", doc["output"]["url"]).body == cli.output);

  // curl -T sales.csv.gz: the same.
  r = http_request(server.port(), "PUT", "/api/jobs/other.csv.gz?to=csv", gz);
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string job_url = r.json()["url"];
  for (int i = 0; i < 400 && http_request(server.port(), "GET", job_url).json()["state"] != "done"; ++i) usleep(20000);
  auto job = http_request(server.port(), "GET", job_url).json();
  ASSERT_EQ(job["state"], "done") << job;
  EXPECT_TRUE(http_request(server.port(), "GET", job["output"]["url"]).body == cli.output);
  EXPECT_EQ(server.stop(SIGTERM), 0);
}

// Parse progress counts the bytes uploaded, so its bar ends at the upload's size.
TEST(ServerCompressed, ProgressRunsAgainstTheCompressedSize) {
  ServerProcess server({"--workers", "1"});
  TempDir dir;
  const std::string csv = make_csv(6 << 20);
  const std::string zst = zstd(csv, 1);
  const CliResult cli = parse_with_cli(dir, "big.csv.zst", zst, "ndjson");
  WsClient ws(server.port());
  ws.hello();
  ws.send_json({{"op", "start"}, {"id", "z1"}, {"name", "big.csv.zst"}, {"size", zst.size()}, {"options", {{"to", "ndjson"}}}});
  for (std::size_t at = 0; at < zst.size(); at += 16 * 1024) ws.send_upload("z1", std::string_view(zst).substr(at, 16 * 1024));
  std::vector<nlohmann::ordered_json> seen;
  auto finish = ws.read_until(op_is("finish", "z1"), &seen);
  std::uint64_t last_parse = 0;
  for (const auto& m : seen) {
    if (m.value("op", "") != "progress" || m.value("id", "") != "z1") continue;
    if (!m["total"].is_null()) {
      EXPECT_EQ(m["total"], zst.size());
    }
    EXPECT_LE(m["bytes"].get<std::uint64_t>(), zst.size()) << m;
    if (m["phase"] == "parse") last_parse = m["bytes"];
  }
  EXPECT_EQ(last_parse, zst.size());
  EXPECT_EQ(finish["summary"]["file"]["compression"], "zstd");
  EXPECT_EQ(finish["summary"]["file"]["compressed_bytes"], zst.size());
  EXPECT_TRUE(without_timings(finish["summary"]) == without_timings(cli.summary));
  EXPECT_TRUE(http_request(server.port(), "GET", finish["output"]["url"]).body == cli.output);
}

TEST(ServerCompressed, ABombIsTooLargeAndLeavesNothingBehind) {
  ServerProcess server({"--workers", "1"});
  const std::string bomb = gzip_of_blank_lines(1ull << 30);
  auto r = http_request(server.port(), "POST", "/api/jobs?name=zeros.csv.gz&to=ndjson&wait=30", bomb);
  auto doc = r.json();
  EXPECT_EQ(r.status, 413) << r.body;
  EXPECT_EQ(doc["state"], "failed") << doc;
  EXPECT_EQ(doc["error"]["code"], "too_large");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("limits.max_expansion_ratio"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
  EXPECT_EQ(files_in(server.data_dir() + "/results"), 0u);

  // A truncated gzip is corrupt_input, never done.
  const std::string gz = gzip(make_csv(300 << 10));
  r = http_request(server.port(), "POST", "/api/jobs?name=cut.csv.gz&wait=30", gz.substr(0, gz.size() - 50));
  doc = r.json();
  EXPECT_EQ(doc["state"], "failed") << doc;
  EXPECT_EQ(doc["error"]["code"], "corrupt_input");
  EXPECT_NE(doc["error"]["message"].get<std::string>().find("the gzip data is truncated"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
  EXPECT_EQ(files_in(server.data_dir() + "/results"), 0u);
}

}  // namespace
}  // namespace fastthread::testing
