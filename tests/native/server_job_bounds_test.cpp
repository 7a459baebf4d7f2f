// `fastthread serve`: what a job may hold, and for how long. Uploads that never come or
// crawl take no worker from others, fail in bounded time and free their spool; quotas and
// parser maxima are answered with the flag that sets them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <thread>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

std::size_t spool_files(const ServerProcess& server) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(server.data_dir() + "/spool")) n += entry.is_regular_file();
  return n;
}

Json start(WsClient& ws, const std::string& id, std::uint64_t size, Json options = Json::object()) {
  ws.send_json({{"op", "start"}, {"id", id}, {"name", id + ".csv"}, {"size", size}, {"options", options}});
  return ws.read_until([&](const Json& m) { return m.value("id", "") == id; });
}

TEST(ServerJobBounds, StartsThatSendNoBytesTakeNoWorker) {
  ServerProcess server({"--workers", "1"});
  WsClient idle(server.port());
  idle.hello();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(start(idle, "never" + std::to_string(i), 1000)["op"], "queued");
  // A small job from someone else runs at once.
  auto r = http_request(server.port(), "PUT", "/api/jobs/small.csv?wait=20", "a,b\n1,2\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["state"], "done");
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").json()["busy"], 0);
}

TEST(ServerJobBounds, StalledUploadsGiveTheirWorkersBackToWaitingJobs) {
  ServerProcess server({"--workers", "2", "--upload-stall", "1"});
  const std::string csv = make_csv(200000);
  WsClient a(server.port()), b(server.port());
  a.hello();
  b.hello();
  for (WsClient* ws : {&a, &b}) {
    start(*ws, "big", csv.size());
    ws->send_upload("big", csv.substr(0, 1000));
    ws->read_until(op_is("start", "big"));
  }
  // Both workers are held by uploads that went quiet: a third, small job still runs.
  auto r = http_request(server.port(), "PUT", "/api/jobs/small.csv?wait=30", "a,b\n1,2\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["state"], "done");
  // The job that gave its worker back is queued again, and runs again when its bytes come.
  std::vector<Json> seen;
  a.read_until(op_is("queued", "big"), &seen);
  a.send_upload("big", csv.substr(1000));
  auto done = a.read_until(op_is("finish", "big"));
  EXPECT_EQ(done["summary"]["file"]["bytes"], csv.size());
  EXPECT_GT(done["summary"]["rows"].get<std::uint64_t>(), 1000u);
  EXPECT_NE(server.log().find("\"upload_stalled\""), std::string::npos);
  const std::string metrics = http_request(server.port(), "GET", "/metrics").body;
  EXPECT_EQ(metrics.find("fastthread_uploads_yielded_total 0\n"), std::string::npos) << metrics;
}

TEST(ServerJobBounds, AnUploadBelowTheMinimumRateFailsAndFreesItsSpool) {
  ServerProcess server({"--workers", "1", "--min-upload-rate", "1K", "--upload-rate-window", "1"});
  WsClient ws(server.port());
  ws.hello();
  start(ws, "crawl", 100000);
  EXPECT_EQ(spool_files(server), 1u);
  // Ten bytes a few times a second: far below 1 KiB a second.
  Json error;
  for (int i = 0; i < 40 && error.is_null(); ++i) {
    ws.send_upload("crawl", "0123456789");
    auto m = ws.read(std::chrono::milliseconds(250));
    while (m && !(m->value("op", "") == "error" && m->value("id", "") == "crawl")) m = ws.read(std::chrono::milliseconds(50));
    if (m) error = *m;
  }
  ASSERT_FALSE(error.is_null()) << "the crawling upload was not stopped";
  EXPECT_EQ(error["code"], "timeout");
  EXPECT_NE(error["message"].get<std::string>().find("--min-upload-rate"), std::string::npos) << error;
  EXPECT_EQ(spool_files(server), 0u);
  // A start that sends nothing at all fails the same way.
  start(ws, "silent", 1000);
  EXPECT_EQ(ws.read_until(op_is("error", "silent"), nullptr, std::chrono::seconds(10))["code"], "timeout");
}

TEST(ServerJobBounds, AnHttpUploadThatTricklesIsAnsweredWithTimeout) {
  ServerProcess server({"--workers", "1", "--min-upload-rate", "1K", "--upload-rate-window", "1"});
  namespace net = boost::asio;
  net::io_context io;
  net::ip::tcp::socket socket(io);
  socket.connect({net::ip::make_address("127.0.0.1"), server.port()});
  const std::string head = "PUT /api/jobs/t.csv?wait=30 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n";
  net::write(socket, net::buffer(head));
  std::string answer;
  socket.non_blocking(true);
  for (int i = 0; i < 60 && answer.find("\r\n\r\n") == std::string::npos; ++i) {
    boost::system::error_code ec;
    net::write(socket, net::buffer("x", 1), ec);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    char buf[4096];
    std::size_t n = socket.read_some(net::buffer(buf), ec);
    if (!ec) answer.append(buf, n);
    if (ec && ec != net::error::would_block) break;
  }
  EXPECT_NE(answer.find("HTTP/1.1 504"), std::string::npos) << answer;
  EXPECT_NE(answer.find("--min-upload-rate"), std::string::npos) << answer;
  EXPECT_EQ(spool_files(server), 0u);
}

TEST(ServerJobBounds, SpoolQuotasAreAnsweredWithTheirFlags) {
  ServerProcess server({"--workers", "1", "--max-spool-bytes-per-principal", "1000", "--max-spool-bytes", "1500"});
  WsClient ws(server.port());
  ws.hello();
  EXPECT_EQ(start(ws, "a", 800)["op"], "queued");
  auto over = start(ws, "b", 500);
  EXPECT_EQ(over["code"], "rate_limited");
  EXPECT_NE(over["message"].get<std::string>().find("--max-spool-bytes-per-principal"), std::string::npos) << over;
  // A chunked HTTP upload (no size known) is stopped as its bytes pass the quota.
  auto r = http_request(server.port(), "PUT", "/api/jobs/c.csv?wait=10", std::string(900, 'x'),
                        {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(r.status, 429) << r.body;
  // Once `a` ends, its bytes are free again.
  ws.send_json({{"op", "cancel"}, {"id", "a"}});
  ws.read_until(op_is("cancel", "a"));
  EXPECT_EQ(start(ws, "d", 900)["op"], "queued");
}

TEST(ServerJobBounds, TheServerTotalSpoolQuotaIsBusy) {
  TempDir dir;
  const std::string tokens = dir.path("tokens");
  const std::string alice = add_token(tokens, "alice"), bob = add_token(tokens, "bob");
  ServerProcess server({"--workers", "1", "--max-spool-bytes", "1500", "--tokens", tokens});
  WsClient a(server.port()), b(server.port());
  a.hello("", alice);
  b.hello("", bob);
  EXPECT_EQ(start(a, "a", 1000)["op"], "queued");
  auto full = start(b, "b", 1000);
  EXPECT_EQ(full["code"], "busy");
  EXPECT_NE(full["message"].get<std::string>().find("--max-spool-bytes"), std::string::npos) << full;
  EXPECT_EQ(start(b, "c", 400)["op"], "queued");
}

TEST(ServerJobBounds, ParserLimitsAreCappedByTheServersMaxima) {
  ServerProcess server({"--workers", "1", "--max-json-depth", "500"});
  WsClient ws(server.port());
  ws.hello();
  auto deep = start(ws, "deep", 10, {{"limits", {{"max_json_depth", 100000}}}});
  EXPECT_EQ(deep["code"], "bad_request");
  EXPECT_NE(deep["message"].get<std::string>().find("--max-json-depth"), std::string::npos) << deep;
  auto sniff = start(ws, "sniff", 10, {{"sniff_bytes", 2000000000}});
  EXPECT_EQ(sniff["code"], "bad_request");
  EXPECT_NE(sniff["message"].get<std::string>().find("--max-sniff-bytes"), std::string::npos) << sniff;
  auto record = start(ws, "record", 10, {{"limits", {{"max_record_bytes", 8ull << 30}}}});
  EXPECT_NE(record["message"].get<std::string>().find("--max-record-bytes"), std::string::npos) << record;
  EXPECT_EQ(start(ws, "fine", 10, {{"limits", {{"max_json_depth", 400}}}})["op"], "queued");
  auto r = http_request(server.port(), "PUT", "/api/jobs/x.csv?infer_rows=99999999", "a\n1\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("--max-infer-rows"), std::string::npos) << r.body;
}

TEST(ServerJobBounds, AJobPastTheTotalJobTimeFails) {
  ServerProcess server({"--workers", "1", "--max-job-time", "1", "--min-upload-rate", "0"});
  WsClient ws(server.port());
  ws.hello();
  start(ws, "forever", 1000);
  auto error = ws.read_until(op_is("error", "forever"), nullptr, std::chrono::seconds(10));
  EXPECT_EQ(error["code"], "timeout");
  EXPECT_NE(error["message"].get<std::string>().find("--max-job-time"), std::string::npos) << error;
  EXPECT_EQ(spool_files(server), 0u);
}

}  // namespace
}  // namespace fastthread::testing
