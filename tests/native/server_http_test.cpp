// `fastthread serve` over plain HTTP: the frontend's files (and nothing outside them),
// /healthz, /metrics in the Prometheus text format, and SIGTERM's drain.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

TEST(ServerHttp, ServesTheFrontendAndNothingOutsideIt) {
  TempDir dir;
  std::filesystem::create_directories(dir.path("site/assets"));
  dir.write("site/index.html", "<!doctype html>hello");
  dir.write("site/assets/app-3f2a9c1b.js", "console.log(1)");
  dir.write("site/core.wasm", std::string("\0asm", 4));
  dir.write("secret.txt", "do not serve");
  std::filesystem::create_symlink(dir.path("secret.txt"), dir.path("site/leak.txt"));
  ServerProcess server({"--static-dir", dir.path("site")});

  auto index = http_request(server.port(), "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>hello");
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["cache-control"], "no-cache");
  auto asset = http_request(server.port(), "GET", "/assets/app-3f2a9c1b.js");
  EXPECT_EQ(asset.status, 200);
  EXPECT_EQ(asset.headers["content-type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(asset.headers["cache-control"], "public, max-age=31536000, immutable");
  auto wasm = http_request(server.port(), "GET", "/core.wasm");
  EXPECT_EQ(wasm.headers["content-type"], "application/wasm");
  EXPECT_EQ(wasm.body.size(), 4u);
  auto head = http_request(server.port(), "HEAD", "/index.html");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.headers["content-length"], "20");

  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
                             "/assets/..%2f..%2fsecret.txt", "/leak.txt", "/..%5csecret.txt"}) {
    auto r = http_request(server.port(), "GET", target);
    EXPECT_TRUE(r.status == 403 || r.status == 404) << target << " gave " << r.status;
    EXPECT_EQ(r.body.find("do not serve"), std::string::npos) << target;
  }
  EXPECT_EQ(http_request(server.port(), "GET", "/missing.js").status, 404);
  EXPECT_EQ(http_request(server.port(), "GET", "/api/nothing").status, 404);
}

// A HEAD answer ends with its headers: on a kept-alive connection the next answer follows
// at once, and a body there would be read as the start of it.
TEST(ServerHttp, HeadAnswersCarryNoBodyOnAKeptAliveConnection) {
  TempDir dir;
  std::filesystem::create_directories(dir.path("site"));
  dir.write("site/index.html", "<!doctype html>hello");
  ServerProcess server({"--static-dir", dir.path("site")});
  for (const std::string target : {"/healthz", "/api/jobs", "/index.html", "/metrics", "/api/jobs/nope"}) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    const std::string requests = "HEAD " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" +
                                 "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    boost::asio::write(socket, boost::asio::buffer(requests));
    boost::beast::flat_buffer buffer;
    boost::beast::http::response_parser<boost::beast::http::empty_body> head;
    head.skip(true);  // a HEAD answer has no body, whatever its Content-Length says
    boost::beast::http::read_header(socket, buffer, head);
    boost::beast::http::response<boost::beast::http::string_body> get;
    boost::system::error_code ec;
    boost::beast::http::read(socket, buffer, get, ec);
    ASSERT_FALSE(ec) << target << ": the answer after HEAD could not be read: " << ec.message();
    EXPECT_EQ(head.get().result_int(), get.result_int()) << target;
    EXPECT_EQ(head.get()[boost::beast::http::field::content_length], std::to_string(get.body().size())) << target;
    EXPECT_FALSE(get.body().empty()) << target;
  }
}

TEST(ServerHttp, WithoutAFrontendTheRootSaysHowToBuildIt) {
  TempDir empty;
  ServerProcess server({"--static-dir", ""});
  auto r = http_request(server.port(), "GET", "/");
  // With no --static-dir and no frontend/dist in the source tree, / explains itself;
  // when the tree has a built frontend, / serves it.
  EXPECT_EQ(r.status, 200);
  if (!std::filesystem::exists(std::string(FASTTHREAD_DOCS) + "/../frontend/dist")) {
    EXPECT_NE(r.body.find("npm --prefix frontend run build"), std::string::npos);
    EXPECT_NE(r.body.find("./dev run"), std::string::npos);
  }
  auto health = http_request(server.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json()["status"], "ok");
}

TEST(ServerHttp, MetricsAreValidPrometheusText) {
  ServerProcess server({"--workers", "2"});
  ASSERT_EQ(http_request(server.port(), "POST", "/api/jobs?name=m.csv&wait=30", "a,b\n1,2\n").status, 200);
  auto r = http_request(server.port(), "GET", "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u);
  const std::regex sample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="[^"]*",?)*\})? (-?[0-9.eE+-]+|\+Inf|NaN)$)");
  const std::regex meta(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  std::set<std::string> names;
  std::map<std::string, double> values;
  std::istringstream lines(r.body);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, meta)) continue;
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample: " << line;
    names.insert(m[1]);
    values[line.substr(0, line.rfind(' '))] = std::stod(line.substr(line.rfind(' ') + 1));
  }
  for (const char* family :
       {"fastthread_jobs", "fastthread_queue_length", "fastthread_workers_busy",
        "fastthread_uploaded_bytes_total", "fastthread_parsed_bytes_total", "fastthread_worker_rss_bytes",
        "fastthread_worker_cpu_seconds_total", "fastthread_job_duration_seconds_bucket",
        "fastthread_job_duration_seconds_sum", "fastthread_job_duration_seconds_count"}) {
    EXPECT_TRUE(names.count(family)) << family;
  }
  EXPECT_EQ(values["fastthread_jobs{state=\"done\"}"], 1);
  EXPECT_EQ(values["fastthread_uploaded_bytes_total"], 8);
  EXPECT_EQ(values["fastthread_parsed_bytes_total"], 8);
  EXPECT_EQ(values["fastthread_job_duration_seconds_bucket{le=\"+Inf\"}"], 1);
  EXPECT_GT(values["fastthread_worker_rss_bytes{worker=\"0\"}"], 0);
}

TEST(ServerHttp, SigtermDrainsAndLeavesNoProcessOrSpoolFile) {
  ServerProcess server({"--workers", "2", "--drain-timeout", "20"});
  auto workers = server.children();
  ASSERT_EQ(workers.size(), 2u);
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = make_csv(64 << 10);
  ws.send_json({{"op", "start"}, {"id", "f1"}, {"name", "d.csv"}, {"size", csv.size()}});
  ws.send_upload("f1", std::string_view(csv).substr(0, 1000));
  ws.read_until(op_is("start", "f1"));
  EXPECT_FALSE(std::filesystem::is_empty(server.data_dir() + "/spool"));

  ::kill(server.pid(), SIGTERM);
  // Draining: new jobs are refused, the running one finishes.
  nlohmann::ordered_json refused;
  for (int i = 0; i < 50; ++i) {
    // Empty files: one that slips in before the signal lands ends at once, not at the drain timeout.
    ws.send_json({{"op", "start"}, {"id", "late" + std::to_string(i)}, {"name", "l.csv"}, {"size", 0}});
    const std::string id = "late" + std::to_string(i);
    refused = ws.read_until(
        [&](auto& m) { return m.value("id", "") == id && (m["op"] == "error" || m["op"] == "queued"); });
    if (refused["op"] == "error") break;
    usleep(20000);
  }
  EXPECT_EQ(refused["code"], "shutting_down");
  ws.send_upload("f1", std::string_view(csv).substr(1000));
  EXPECT_EQ(ws.read_until(op_is("finish", "f1"))["op"], "finish");

  EXPECT_EQ(server.stop(0), 0);
  for (pid_t pid : workers) EXPECT_TRUE(process_gone(pid)) << "worker " << pid << " outlived the server";
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
  EXPECT_FALSE(std::filesystem::is_empty(server.data_dir() + "/results"));
  const std::string log = server.log();
  EXPECT_NE(log.find("\"event\":\"draining\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"shutdown\""), std::string::npos);
}

// A drain ends the jobs still waiting for a worker at once; the running one finishes.
TEST(ServerHttp, SigtermFailsTheQueuedJobsWithShuttingDown) {
  ServerProcess server({"--workers", "1", "--drain-timeout", "20", "--upload-stall", "600"});
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = "a,b\n1,2\n3,4\n";
  ws.send_json({{"op", "start"}, {"id", "run"}, {"name", "r.csv"}, {"size", csv.size()}});
  ws.send_upload("run", csv.substr(0, 5));
  ws.read_until(op_is("start", "run"));
  for (const char* id : {"q1", "q2"}) {
    ws.send_json({{"op", "start"}, {"id", id}, {"name", "q.csv"}, {"size", csv.size()}});
    ws.send_upload(id, csv);
    ws.read_until(op_is("queued", id));
  }
  ::kill(server.pid(), SIGTERM);
  for (const char* id : {"q1", "q2"}) {
    auto error = ws.read_until(op_is("error", id));
    EXPECT_EQ(error["code"], "shutting_down") << error;
  }
  ws.send_upload("run", csv.substr(5));
  EXPECT_EQ(ws.read_until(op_is("finish", "run"))["summary"]["rows"], 2);
  EXPECT_EQ(server.stop(0), 0);
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
}

TEST(ServerHttp, SigintStopsAtOnce) {
  ServerProcess server({"--workers", "2"});
  auto workers = server.children();
  WsClient ws(server.port());
  ws.hello();
  ws.send_json({{"op", "start"}, {"id", "f1"}, {"name", "d.csv"}, {"size", 100}});
  ws.send_upload("f1", "a,b\n");
  ws.read_until(op_is("start", "f1"));
  EXPECT_EQ(server.stop(SIGINT, std::chrono::seconds(10)), 0);
  for (pid_t pid : workers) EXPECT_TRUE(process_gone(pid));
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
}

}  // namespace
}  // namespace fastthread::testing

namespace fastthread::testing {
namespace {

TEST(ServerCommand, HelpNamesEveryLimitAndItsVariable) {
  auto r = run_fastthread({"serve", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"--port", "--workers", "--data-dir", "--static-dir", "--max-file-bytes",
                           "FASTTHREAD_MAX_FILE_BYTES", "--max-queued-jobs", "--max-jobs-per-client",
                           "--max-jobs-per-minute", "--job-timeout", "--worker-memory", "--max-frame-bytes",
                           "--max-connections", "--max-connections-per-address", "--max-send-queue-bytes",
                           "--ws-idle-timeout", "--hello-timeout", "--http-timeout", "--drain-timeout", "SIGTERM"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
  r = run_fastthread({"serve", "--max-file-bytes", "lots"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--max-file-bytes needs a size"), std::string::npos) << r.err;
  r = run_fastthread({"serve", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ServerCommand, EnvironmentVariablesSetLimitsAndFlagsWin) {
  ::setenv("FASTTHREAD_WORKERS", "3", 1);
  ::setenv("FASTTHREAD_MAX_FILE_BYTES", "1K", 1);
  ServerProcess from_env;
  ServerProcess flag_wins({"--workers", "1"});
  ::unsetenv("FASTTHREAD_WORKERS");
  ::unsetenv("FASTTHREAD_MAX_FILE_BYTES");
  EXPECT_EQ(from_env.children().size(), 3u);
  EXPECT_EQ(flag_wins.children().size(), 1u);
  auto r = http_request(from_env.port(), "POST", "/api/jobs?name=x.csv", std::string(1025, 'x'));
  EXPECT_EQ(r.status, 413);
}

}  // namespace
}  // namespace fastthread::testing
