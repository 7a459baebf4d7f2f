// `fastthread serve`: a file uploaded over the WebSocket or HTTP gives the same summary and
// the same output bytes as `fastthread parse`; a file seen before is answered from the cache.
#include <gtest/gtest.h>
#include <signal.h>

#include <cctype>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

struct CliResult {
  nlohmann::ordered_json summary;
  std::string output;
};

CliResult parse_with_cli(TempDir& dir, const std::string& name, const std::string& content,
                         const std::string& to) {
  dir.write(name, content);
  auto r = run_fastthread({"parse", dir.path(name), "--name", name, "--to", to, "-o", dir.path(name + ".out"),
                           "--summary", dir.path(name + ".summary"), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return {nlohmann::ordered_json::parse(dir.read(name + ".summary")), dir.read(name + ".out")};
}

// The summary but its timings (which differ from run to run).
nlohmann::ordered_json without_timings(nlohmann::ordered_json summary) {
  summary.erase("timings");
  return summary;
}

// Sends `content` as job `id` in frames of `frame` bytes.
void upload(WsClient& ws, const std::string& id, const std::string& content, std::size_t frame = 64 * 1024) {
  for (std::size_t at = 0; at < content.size(); at += frame)
    ws.send_upload(id, std::string_view(content).substr(at, frame));
}

TEST(ServerUpload, WebSocketUploadMatchesTheCommandLine) {
  ServerProcess server({"--workers", "2"});
  TempDir dir;
  const std::string csv = make_csv(3 << 20);
  const CliResult cli = parse_with_cli(dir, "big.csv", csv, "ndjson");

  WsClient ws(server.port());
  ws.hello();
  ws.send_json({{"op", "start"},
                {"id", "f1"},
                {"name", "big.csv"},
                {"size", csv.size()},
                {"options", {{"to", "ndjson"}}}});
  upload(ws, "f1", csv);
  std::vector<nlohmann::ordered_json> seen;
  auto finish = ws.read_until(op_is("finish", "f1"), &seen);

  // queued, then start, progress of both phases only growing, each ending at 100% before finish.
  std::vector<std::string> ops;
  std::map<std::string, std::uint64_t> last = {{"upload", 0}, {"parse", 0}};
  std::map<std::string, int> count;
  for (const auto& m : seen) {
    if (m.value("id", "") != "f1") continue;
    ops.push_back(m["op"]);
    if (m["op"] == "progress") {
      const std::string phase = m["phase"];
      EXPECT_GE(m["bytes"].get<std::uint64_t>(), last[phase]) << m;
      last[phase] = m["bytes"];
      count[phase]++;
      if (!m["total"].is_null()) {
        EXPECT_EQ(m["total"], csv.size());
      }
    }
  }
  ASSERT_GE(ops.size(), 4u);
  EXPECT_EQ(ops.front(), "queued");
  EXPECT_NE(std::find(ops.begin(), ops.end(), "start"), ops.end());
  EXPECT_EQ(last["upload"], csv.size());
  EXPECT_EQ(last["parse"], csv.size());
  EXPECT_GE(count["upload"], 1);
  // Throttled: nowhere near one message per 64 KiB frame.
  EXPECT_LT(count["upload"], 48);
  const auto& before_finish = seen[seen.size() - 2];
  EXPECT_EQ(before_finish["op"], "progress");
  EXPECT_EQ(before_finish["bytes"], csv.size());

  EXPECT_EQ(finish["cached"], false);
  EXPECT_TRUE(without_timings(finish["summary"]) == without_timings(cli.summary)) << "summary differs";
  EXPECT_TRUE(finish["timings"]["total_ms"].get<double>() >= finish["timings"]["process_ms"].get<double>());
  const std::string url = finish["output"]["url"];
  auto output = http_request(server.port(), "GET", url);
  ASSERT_EQ(output.status, 200);
  EXPECT_TRUE(output.body == cli.output) << "output differs from fastthread parse";
  EXPECT_EQ(output.headers["content-type"], "application/x-ndjson");
  EXPECT_EQ(output.headers["content-disposition"], "attachment; filename=\"big.fastthread.ndjson\"");
  EXPECT_EQ(finish["output"]["bytes"], cli.output.size());
  EXPECT_EQ(server.stop(SIGTERM), 0);
  EXPECT_NE(server.log().find("\"event\":\"job\""), std::string::npos);
}

TEST(ServerUpload, HttpPostWaitsForTheSummary) {
  ServerProcess server({"--workers", "1"});
  TempDir dir;
  const std::string csv = make_csv(200 << 10);
  const CliResult cli = parse_with_cli(dir, "s.csv", csv, "csv");

  auto r = http_request(server.port(), "POST", "/api/jobs?name=s.csv&to=csv&wait=30", csv);
  ASSERT_EQ(r.status, 200) << r.body;
  // Without tokens the answer names a new client; later requests name it to see its jobs.
  const std::map<std::string, std::string> me = {{"X-Client-Id", r.headers["x-client-id"]}};
  auto doc = r.json();
  EXPECT_EQ(doc["state"], "done");
  EXPECT_TRUE(without_timings(doc["summary"]) == without_timings(cli.summary)) << "summary differs";
  auto output = http_request(server.port(), "GET", doc["output"]["url"]);
  EXPECT_TRUE(output.body == cli.output);
  EXPECT_EQ(output.headers["content-disposition"], "attachment; filename=\"s.fastthread.csv\"");

  // curl -T: PUT /api/jobs/NAME, answered at once with 202 and where to look.
  r = http_request(server.port(), "PUT", "/api/jobs/t.csv?to=json", csv, me);
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string job_url = r.json()["url"];
  for (int i = 0; i < 200 && http_request(server.port(), "GET", job_url).json()["state"] != "done"; ++i) {
    usleep(20000);
  }
  EXPECT_EQ(http_request(server.port(), "GET", job_url).json()["state"], "done");

  auto list = http_request(server.port(), "GET", "/api/jobs", "", me).json();
  ASSERT_EQ(list["jobs"].size(), 2u);
  EXPECT_EQ(list["jobs"][0]["name"], "t.csv");  // newest first
  EXPECT_EQ(list["jobs"][1]["name"], "s.csv");

  // DELETE of a finished job removes it and its output.
  EXPECT_EQ(http_request(server.port(), "DELETE", job_url).status, 200);
  EXPECT_EQ(http_request(server.port(), "GET", job_url).status, 404);
}

// A name or option whose %-escapes are not UTF-8 is a malformed target: it would go on into
// the job's stored record and summary, which are JSON (writing one stopped the server).
TEST(ServerUpload, NamesAndOptionsThatAreNotUtf8AreRefused) {
  ServerProcess server({"--workers", "1"});
  for (const char* target :
       {"/api/jobs?name=%FF%FE.csv&wait=30", "/api/jobs?name=x.log&log_format=%25h%20%B2&wait=30",
        "/api/jobs?name=y.csv&nulls=%C0%AF&wait=30"}) {
    auto r = http_request(server.port(), "POST", target, "a,b\n1,2\n");
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.json()["error"]["code"], "bad_request") << target;
  }
  EXPECT_EQ(http_request(server.port(), "PUT", "/api/jobs/caf%E9.csv", "a,b\n1,2\n").status, 400);
  // The server is still there, and a name in UTF-8 is a name.
  auto r = http_request(server.port(), "POST", "/api/jobs?name=caf%C3%A9.csv&wait=30", "a,b\n1,2\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["summary"]["file"]["name"], "caf\xC3\xA9.csv");
}

TEST(ServerUpload, ASeenFileIsAnsweredFromTheStoredResultEvenAfterARestart) {
  TempDir data;
  const std::string csv = make_csv(100 << 10);
  std::string sha, client;
  {
    ServerProcess server({"--workers", "1"}, data.path("d"));
    WsClient ws(server.port());
    client = ws.hello();
    ws.send_json({{"op", "start"}, {"id", "a"}, {"name", "x.csv"}, {"size", csv.size()}});
    upload(ws, "a", csv);
    auto finish = ws.read_until(op_is("finish", "a"));
    const std::string url = finish["output"]["url"];
    sha = http_request(server.port(), "GET", url.substr(0, url.size() - 7)).json()["sha256"];
    ASSERT_EQ(sha.size(), 64u);

    // Same bytes, same options: no upload, finish with cached: true.
    ws.send_json({{"op", "start"}, {"id", "b"}, {"name", "x.csv"}, {"size", csv.size()}, {"sha256", sha}});
    auto cached = ws.read_until([](auto& m) { return m.value("id", "") == "b"; });
    ASSERT_EQ(cached["op"], "finish") << cached;
    EXPECT_EQ(cached["cached"], true);
    EXPECT_EQ(cached["summary"], finish["summary"]);
    EXPECT_EQ(http_request(server.port(), "GET", cached["output"]["url"]).body,
              http_request(server.port(), "GET", url).body);

    // Other options: a new job that waits for its bytes.
    ws.send_json({{"op", "start"},
                  {"id", "c"},
                  {"name", "x.csv"},
                  {"size", csv.size()},
                  {"sha256", sha},
                  {"options", {{"to", "csv"}}}});
    EXPECT_EQ(ws.read_until([](auto& m) { return m.value("id", "") == "c"; })["op"], "queued");
    ws.send_json({{"op", "cancel"}, {"id", "c"}});
    ws.read_until(op_is("cancel", "c"));
    EXPECT_EQ(server.stop(SIGTERM), 0);
  }
  ServerProcess again({"--workers", "1"}, data.path("d"));
  WsClient ws(again.port());
  EXPECT_EQ(ws.hello(client), client);
  ws.send_json({{"op", "start"}, {"id", "d"}, {"name", "x.csv"}, {"size", csv.size()}, {"sha256", sha}});
  auto cached = ws.read_until([](auto& m) { return m.value("id", "") == "d"; });
  EXPECT_EQ(cached["op"], "finish") << cached;
  EXPECT_EQ(cached["cached"], true);
  // The cache answers only the client that uploaded those bytes: another one must send them.
  WsClient other(again.port());
  other.hello();
  other.send_json({{"op", "start"}, {"id", "e"}, {"name", "x.csv"}, {"size", csv.size()}, {"sha256", sha}});
  EXPECT_EQ(other.read_until([](auto& m) { return m.value("id", "") == "e"; })["op"], "queued");
}

TEST(ServerUpload, ADeclaredSha256ThatDoesNotMatchIsABadRequest) {
  ServerProcess server({"--workers", "1"});
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = "a,b\n1,2\n";
  ws.send_json({{"op", "start"},
                {"id", "f"},
                {"name", "x.csv"},
                {"size", csv.size()},
                {"sha256", std::string(64, 'a')}});
  ws.send_upload("f", csv);
  auto error = ws.read_until(op_is("error", "f"));
  EXPECT_EQ(error["code"], "bad_request");
  EXPECT_NE(error["message"].get<std::string>().find("sha256"), std::string::npos);
}

TEST(ServerUpload, AnHttpUploadsDeclaredSha256IsCheckedAndShownAsGiven) {
  ServerProcess server({"--workers", "1"});
  const std::string csv = "a,b\n1,2\n";
  auto first = http_request(server.port(), "POST", "/api/jobs?name=x.csv&wait=30", csv);
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string sha = first.json()["sha256"];
  ASSERT_EQ(sha.size(), 64u);
  const std::map<std::string, std::string> me = {{"X-Client-Id", first.headers["x-client-id"]}};

  // The right digest, declared (other options, so the cache does not answer): the job runs,
  // and its document shows the digest of its bytes.
  auto right = http_request(server.port(), "POST", "/api/jobs?name=x.csv&to=csv&wait=30&sha256=" + sha, csv, me);
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(right.json()["state"], "done");
  EXPECT_EQ(right.json()["sha256"], sha);

  // Another digest: the job fails and says both.
  std::string other = sha;
  other[0] = other[0] == '0' ? '1' : '0';
  auto wrong = http_request(server.port(), "POST", "/api/jobs?name=x.csv&to=json&wait=30&sha256=" + other, csv, me);
  EXPECT_EQ(wrong.status, 400) << wrong.body;
  const std::string message = wrong.json()["error"]["message"];
  EXPECT_NE(message.find(sha), std::string::npos) << message;
  EXPECT_NE(message.find(other), std::string::npos) << message;

  // Not a digest at all, or in capitals: refused before the body is read.
  std::string upper = sha;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& bad : {std::string("xyz"), upper, sha + "0"}) {
    auto refused = http_request(server.port(), "POST", "/api/jobs?name=x.csv&wait=30&sha256=" + bad, csv, me);
    EXPECT_EQ(refused.status, 400) << bad << ": " << refused.body;
    EXPECT_NE(refused.body.find("64 lowercase hex digits"), std::string::npos) << refused.body;
  }
}

}  // namespace
}  // namespace fastthread::testing
