// `fastthread serve` forgets: finished jobs expire, the results folder stays under its cap
// (oldest first), and a start removes what a killed master left half-written.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::vector<std::string> files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::uint64_t folder_bytes(const std::string& dir) {
  std::uint64_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.file_size();
  return n;
}

TEST(ServerRetention, FinishedJobsExpireWithTheirFiles) {
  ServerProcess server({"--workers", "1", "--result-ttl", "1"});
  auto r = http_request(server.port(), "PUT", "/api/jobs/a.csv?wait=20&to=csv", "a\n1\n2\n");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::map<std::string, std::string> me = {{"X-Client-Id", r.headers["x-client-id"]}};
  const std::string url = r.json()["url"];
  const std::string results = server.data_dir() + "/results";
  EXPECT_EQ(files(results).size(), 2u);  // the record and the output
  EXPECT_EQ(http_request(server.port(), "GET", url).status, 200);
  int status = 200;
  for (int i = 0; i < 100 && status == 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = http_request(server.port(), "GET", url).status;
  }
  EXPECT_EQ(status, 404);
  EXPECT_TRUE(files(results).empty());
  EXPECT_TRUE(http_request(server.port(), "GET", "/api/jobs", "", me).json()["jobs"].empty());
  EXPECT_NE(server.log().find("\"results_expired\""), std::string::npos);
}

TEST(ServerRetention, TheResultsFolderStaysUnderItsCapOldestFirst) {
  const std::string csv = make_csv(30 << 10);
  ServerProcess server({"--workers", "1", "--max-results-bytes", "100K"});
  std::map<std::string, std::string> me;
  std::vector<std::string> urls;
  for (int i = 0; i < 4; ++i) {
    auto r = http_request(server.port(), "PUT", "/api/jobs/f" + std::to_string(i) + ".csv?wait=20&to=csv", csv, me);
    ASSERT_EQ(r.status, 200) << r.body;
    if (me.empty()) me = {{"X-Client-Id", r.headers["x-client-id"]}};
    urls.push_back(r.json()["url"]);
    EXPECT_LE(folder_bytes(server.data_dir() + "/results"), 100u << 10) << "after f" << i << ": " << [&] {
      std::string all;
      for (const auto& f : files(server.data_dir() + "/results"))
        all += f + " " + std::to_string(fs::file_size(server.data_dir() + "/results/" + f)) + "; ";
      return all;
    }();
  }
  // Each result is over 30 KiB: the newest ones that fit stay, the oldest went.
  EXPECT_EQ(http_request(server.port(), "GET", urls[0]).status, 404);
  EXPECT_EQ(http_request(server.port(), "GET", urls[3]).status, 200);
  auto list = http_request(server.port(), "GET", "/api/jobs", "", me).json()["jobs"];
  ASSERT_GE(list.size(), 2u);
  EXPECT_EQ(list[0]["name"], "f3.csv");
}

TEST(ServerRetention, AStartRemovesWhatAKilledMasterLeft) {
  TempDir data;
  const std::string dir = data.path("d");
  std::string done_url, client;
  {
    ServerProcess server({"--workers", "1", "--min-upload-rate", "0"}, dir);
    auto r = http_request(server.port(), "PUT", "/api/jobs/kept.csv?wait=20&to=csv", "a\n1\n");
    ASSERT_EQ(r.status, 200);
    done_url = r.json()["url"];
    client = r.headers["x-client-id"];
    // A job that is writing its output when the master dies.
    WsClient ws(server.port());
    ws.hello(client);
    const std::string csv = make_csv(2 << 20);
    ws.send_json({{"op", "start"}, {"id", "cut"}, {"name", "cut.csv"}, {"size", csv.size() * 2}, {"options", {{"to", "csv"}}}});
    ws.send_upload("cut", csv);
    ws.read_until([](const Json& m) { return m["op"] == "progress" && m["phase"] == "parse" && m["bytes"] > 0; });
    ::kill(server.pid(), SIGKILL);
    server.stop(SIGKILL);
  }
  const std::string results = dir + "/results";
  std::ofstream(results + "/j-0123.json.tmp") << "{";
  std::size_t outs = 0;
  for (const auto& name : files(results)) outs += name.size() > 4 && name.substr(name.size() - 4) == ".out";
  EXPECT_EQ(outs, 2u) << "the finished job's output and the cut one's";
  ServerProcess again({"--workers", "1"}, dir);
  EXPECT_EQ(files(results).size(), 2u) << "only the finished job's record and output are left";
  EXPECT_EQ(http_request(again.port(), "GET", done_url).status, 200);
  EXPECT_NE(again.log().find("\"results_cleaned\""), std::string::npos) << again.log();
  EXPECT_TRUE(files(dir + "/spool").empty());
}

}  // namespace
}  // namespace fastthread::testing
