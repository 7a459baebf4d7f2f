// `fastthread serve` shared by people who must not see each other's jobs: every attack a
// second client or a foreign page could try, tried against the real server, and refused.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <thread>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

using Json = nlohmann::ordered_json;

bool is_128_bit_id(const std::string& id, const std::string& prefix) {
  return std::regex_match(id, std::regex(prefix + "[0-9a-f]{32}"));
}

bool is_final_state(const Json& state) {
  return state == "done" || state == "failed" || state == "cancelled";
}

std::map<std::string, std::string> upgrade_headers(std::map<std::string, std::string> extra = {}) {
  extra.emplace("Connection", "Upgrade");
  extra.emplace("Upgrade", "websocket");
  extra.emplace("Sec-WebSocket-Version", "13");
  extra.emplace("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  return extra;
}

// A finished upload of `csv` under `headers`; its job document.
Json upload(unsigned short port, const std::string& name, const std::string& csv,
            const std::map<std::string, std::string>& headers, const std::string& query = "") {
  auto r = http_request(port, "PUT", "/api/jobs/" + name + "?wait=30" + query, csv, headers);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json();
}

class TokenServer : public ::testing::Test {
 protected:
  void SetUp() override {
    file = dir.path("tokens");
    alice = add_token(file, "alice");
    bob = add_token(file, "bob");
    server = std::make_unique<ServerProcess>(std::vector<std::string>{"--workers", "1", "--tokens", file});
  }
  TempDir dir;
  std::string file, alice, bob;
  std::unique_ptr<ServerProcess> server;
};

TEST(ServerTokens, TheFileHoldsHashesOnlyAndIsPrivate) {
  TempDir dir;
  const std::string file = dir.path("tokens");
  const std::string token = add_token(file, "alice");
  EXPECT_TRUE(std::regex_match(token, std::regex("ft_[0-9a-f]{64}"))) << token;
  const std::string text = dir.read("tokens");
  EXPECT_EQ(text.find(token), std::string::npos) << "the token itself must not be stored";
  EXPECT_TRUE(std::regex_search(text, std::regex("\nalice sha256:[0-9a-f]{64}\n"))) << text;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto again = run_fastthread({"token", "add", "alice", "--tokens", file});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already"), std::string::npos) << again.err;
  add_token(file, "bob");
  EXPECT_EQ(run_fastthread({"token", "list", "--tokens", file}).out, "alice\nbob\n");
  EXPECT_EQ(run_fastthread({"token", "remove", "alice", "--tokens", file}).exit_code, 0);
  EXPECT_EQ(run_fastthread({"token", "list", "--tokens", file}).out, "bob\n");
  EXPECT_EQ(run_fastthread({"token", "add", "no spaces", "--tokens", file}).exit_code, 2);

  dir.write("broken", "alice sha256:1234\n");
  auto bad = run_fastthread({"serve", "--port", "0", "--tokens", dir.path("broken")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("line 1"), std::string::npos) << bad.err;
}

TEST(ServerTokens, WithoutTokensOnlyLoopbackIsServedUnlessSaidSo) {
  TempDir dir;
  auto r = run_fastthread({"serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir.path("d")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--insecure-no-auth"), std::string::npos) << r.err;
  ServerProcess local({"--workers", "1"});
  EXPECT_NE(local.log().find("no --tokens: serving this machine only"), std::string::npos) << local.log();
}

TEST_F(TokenServer, RequestsWithoutAGoodTokenAreRefused) {
  const unsigned short port = server->port();
  auto none = http_request(port, "GET", "/api/jobs");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.json()["error"]["code"], "unauthorized");
  EXPECT_EQ(none.headers["www-authenticate"], "Bearer realm=\"fastthread\"");
  auto wrong = http_request(port, "GET", "/api/jobs", "", bearer("ft_" + std::string(64, '0')));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.headers["www-authenticate"].find("invalid_token"), std::string::npos);
  EXPECT_EQ(http_request(port, "PUT", "/api/jobs/a.csv", "a\n1\n").status, 401);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs", "", bearer(alice)).status, 200);
  // The page and the health check need no token.
  EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);

  WsClient ws(port);
  ws.send_json({{"op", "hello"}, {"v", 1}, {"client_id", ""}});
  auto refused = ws.read_until(op_is("error"));
  EXPECT_EQ(refused["code"], "unauthorized");
  ws.send_json({{"op", "start"}, {"id", "x"}, {"name", "x.csv"}, {"size", 2}});
  EXPECT_NE(ws.read_until(op_is("error"))["message"].get<std::string>().find("hello"), std::string::npos);
  // The same connection may try again with a token.
  ws.hello("", alice);
  // A token in the upgrade request counts as well.
  WsClient header_token(port, bearer(bob));
  header_token.hello();

  WsClient guesser(port);
  for (int i = 0; i < 3; ++i) {
    guesser.send_json({{"op", "hello"}, {"v", 1}, {"client_id", ""}, {"token", "ft_guess" + std::to_string(i)}});
    EXPECT_EQ(guesser.read_until(op_is("error"))["code"], "unauthorized");
  }
  EXPECT_FALSE(guesser.read(std::chrono::seconds(5))) << "three refused hellos close the connection";
  EXPECT_NE(server->log().find("\"request_refused\""), std::string::npos);
  EXPECT_EQ(server->log().find(alice), std::string::npos) << "a token never reaches the log";
}

TEST_F(TokenServer, NothingOfAnotherPrincipalIsVisibleOrReachable) {
  const unsigned short port = server->port();
  const std::string csv = make_csv(20000);
  Json a = upload(port, "a.csv", csv, bearer(alice), "&to=ndjson&id=shared");
  const std::string key = a["key"];
  EXPECT_TRUE(is_128_bit_id(key, "j-")) << key;
  EXPECT_EQ(a["owner"], "alice");

  // Listing: bob sees none of alice's jobs.
  auto list = http_request(port, "GET", "/api/jobs", "", bearer(bob)).json();
  EXPECT_TRUE(list["jobs"].empty()) << list;
  EXPECT_EQ(http_request(port, "GET", "/api/jobs", "", bearer(alice)).json()["jobs"].size(), 1u);
  // Reading, downloading, ticketing and deleting alice's job by its key: as if it did not exist.
  for (auto [method, target] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/api/jobs/" + key},
           {"GET", "/api/jobs/" + key + "/output"},
           {"POST", "/api/jobs/" + key + "/ticket"},
           {"DELETE", "/api/jobs/" + key}}) {
    auto r = http_request(port, method, target, "", bearer(bob));
    EXPECT_EQ(r.status, 404) << method << " " << target << ": " << r.body;
    EXPECT_EQ(r.body.find(csv.substr(0, 20)), std::string::npos);
  }
  EXPECT_EQ(http_request(port, "GET", "/api/jobs/" + key, "", bearer(alice)).status, 200);

  // The same job id under bob is bob's own job: alice's stays as it was.
  Json b = upload(port, "b.csv", "x\n1\n", bearer(bob), "&id=shared");
  EXPECT_NE(b["key"], key);
  auto still = http_request(port, "GET", "/api/jobs/" + key, "", bearer(alice)).json();
  EXPECT_EQ(still["name"], "a.csv");
  EXPECT_EQ(still["summary"]["rows"], a["summary"]["rows"]);

  // The cache answers bob only for bytes bob has uploaded: naming alice's sha256 and size
  // gets bob nothing of hers.
  const std::string sha = a["sha256"];
  WsClient ws(port);
  ws.hello(a["client_id"].get<std::string>(), bob);
  ws.send_json({{"op", "start"},
                {"id", "steal"},
                {"name", "a.csv"},
                {"size", csv.size()},
                {"sha256", sha},
                {"options", {{"to", "ndjson"}}}});
  std::vector<Json> seen;
  ws.read_until(op_is("queued", "steal"), &seen);
  for (const auto& m : seen) {
    // bob's own HTTP job replays under this client id; nothing of alice's may.
    EXPECT_FALSE(m["op"] == "finish" && m["summary"]["file"]["name"] == "a.csv") << "alice's result: " << m;
  }
  // Frames for alice's job id go to bob's job of that id, and a cancel stops only bob's.
  ws.send_json({{"op", "cancel"}, {"id", "steal"}});
  ws.read_until(op_is("cancel", "steal"));
  // Alice's own cache still works for alice.
  WsClient mine(port);
  mine.hello("", alice);
  mine.send_json({{"op", "start"},
                  {"id", "again"},
                  {"name", "a.csv"},
                  {"size", csv.size()},
                  {"sha256", sha},
                  {"options", {{"to", "ndjson"}}}});
  EXPECT_TRUE(mine.read_until(op_is("finish", "again"))["cached"].get<bool>());
}

TEST_F(TokenServer, AHelloWithAnotherPrincipalsClientIdReplaysNothingOfTheirs) {
  const unsigned short port = server->port();
  WsClient a(port);
  const std::string client = a.hello("page-1", alice);
  a.send_json({{"op", "start"}, {"id", "slow"}, {"name", "s.csv"}, {"size", 1000000}});
  a.read_until(op_is("queued", "slow"));

  WsClient b(port);
  EXPECT_EQ(b.hello(client, bob), client);
  std::vector<Json> seen;
  b.read_until(op_is("pool"), &seen);
  for (const auto& m : seen) EXPECT_FALSE(m.contains("id") && m["id"] == "slow") << m;
  // bob's bytes for "slow" and bob's cancel of it reach no job of alice's.
  b.send_upload("slow", "a,b\n");
  EXPECT_EQ(b.read_until(op_is("error", "slow"))["code"], "bad_request");
  b.send_json({{"op", "cancel"}, {"id", "slow"}});
  EXPECT_EQ(b.read_until(op_is("error", "slow"))["code"], "not_found");
  auto doc = http_request(port, "GET", "/api/jobs", "", bearer(alice)).json();
  ASSERT_EQ(doc["jobs"].size(), 1u) << doc;
  EXPECT_EQ(doc["jobs"][0]["received"], 0);
  EXPECT_FALSE(is_final_state(doc["jobs"][0]["state"]));
}

TEST_F(TokenServer, ADownloadTicketOpensOneJobsOutputForAMinute) {
  const unsigned short port = server->port();
  Json a = upload(port, "a.csv", "n\n1\n2\n", bearer(alice), "&to=ndjson");
  Json b = upload(port, "b.csv", "n\n3\n", bearer(bob), "&to=ndjson");
  auto t = http_request(port, "POST", "/api/jobs/" + a["key"].get<std::string>() + "/ticket", "", bearer(alice));
  ASSERT_EQ(t.status, 200) << t.body;
  const std::string url = t.json()["url"];
  EXPECT_EQ(url.find(alice), std::string::npos);
  auto got = http_request(port, "GET", url);
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, "{\"n\":1}\n{\"n\":2}\n");
  // The ticket is for that job only.
  const std::string ticket = url.substr(url.find("ticket=") + 7);
  auto other = http_request(port, "GET", "/api/jobs/" + b["key"].get<std::string>() + "/output?ticket=" + ticket);
  EXPECT_EQ(other.status, 401);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs/" + a["key"].get<std::string>() + "?ticket=" + ticket).status, 401);
}

TEST_F(TokenServer, AWithdrawnTokenEndsItsConnectionsOnSighup) {
  const unsigned short port = server->port();
  WsClient b(port);
  b.hello("", bob);
  WsClient a(port);
  a.hello("", alice);
  ASSERT_EQ(run_fastthread({"token", "remove", "bob", "--tokens", file}).exit_code, 0);
  ::kill(server->pid(), SIGHUP);
  auto m = b.read_until(op_is("error"));
  EXPECT_EQ(m["code"], "unauthorized");
  EXPECT_NE(m["message"].get<std::string>().find("withdrawn"), std::string::npos);
  EXPECT_FALSE(b.read(std::chrono::seconds(5)));
  EXPECT_EQ(http_request(port, "GET", "/api/jobs", "", bearer(bob)).status, 401);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs", "", bearer(alice)).status, 200);
  a.send_json({{"op", "start"}, {"id", "ok"}, {"name", "ok.csv"}, {"size", 4}});
  a.send_upload("ok", "a\n1\n");
  a.read_until(op_is("finish", "ok"));
}

TEST(ServerOwnership, WithoutTokensEachClientSeesOnlyItsOwnJobs) {
  ServerProcess server({"--workers", "1"});
  const unsigned short port = server.port();
  auto first = http_request(port, "PUT", "/api/jobs/a.csv?wait=30", "a\n1\n");
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string a_client = first.headers["x-client-id"];
  EXPECT_TRUE(is_128_bit_id(a_client, "c-")) << a_client;
  EXPECT_TRUE(is_128_bit_id(first.json()["key"], "j-"));
  auto second = http_request(port, "PUT", "/api/jobs/b.csv?wait=30", "b\n2\n");
  const std::string b_client = second.headers["x-client-id"];
  EXPECT_NE(a_client, b_client) << "HTTP uploaders do not share a guessable id";

  auto a_list = http_request(port, "GET", "/api/jobs", "", {{"X-Client-Id", a_client}}).json();
  ASSERT_EQ(a_list["jobs"].size(), 1u) << a_list;
  EXPECT_EQ(a_list["jobs"][0]["name"], "a.csv");
  EXPECT_TRUE(http_request(port, "GET", "/api/jobs").json()["jobs"].empty());
  // An id of the client's own choosing is refused: it would be guessable.
  auto chosen = http_request(port, "GET", "/api/jobs", "", {{"X-Client-Id", "ip-127.0.0.1"}});
  EXPECT_EQ(chosen.status, 400);

  // A hello with a made-up id gets a fresh one, and the pool names no job.
  WsClient ws(port);
  const std::string id = ws.hello("c-reload");
  EXPECT_TRUE(is_128_bit_id(id, "c-")) << id;
  ws.send_json({{"op", "start"}, {"id", "slow"}, {"name", "s.csv"}, {"size", 1000000}});
  ws.send_upload("slow", make_csv(100000));
  ws.read_until(op_is("start", "slow"));
  WsClient other(port);
  other.hello();
  auto pool = other.read_until([](const Json& m) { return m["op"] == "pool" && m["busy"] == 1; });
  for (const auto& w : pool["per_worker"]) EXPECT_EQ(w["job"], "") << pool;
  // Another client cannot cancel it, by id or by guessing at its key.
  other.send_json({{"op", "cancel"}, {"id", "slow"}});
  EXPECT_EQ(other.read_until(op_is("error", "slow"))["code"], "not_found");
  // Its owner comes back with its id and finds it.
  ws.close();
  WsClient back(port);
  EXPECT_EQ(back.hello(id), id);
  back.read_until(op_is("start", "slow"));
}

TEST(ServerBrowserBoundary, ForeignPagesAndRebindingNamesAreRefused) {
  ServerProcess server({"--workers", "1", "--allow-origin", "https://app.example.com"});
  const unsigned short port = server.port();
  const std::string self = "127.0.0.1:" + std::to_string(port);

  // Cross-site WebSocket hijacking: a foreign Origin cannot open /ws.
  auto hijack = http_request(port, "GET", "/ws", "", upgrade_headers({{"Origin", "http://evil.example"}}));
  EXPECT_EQ(hijack.status, 403);
  EXPECT_NE(hijack.json()["error"]["message"].get<std::string>().find("evil.example"), std::string::npos);
  EXPECT_EQ(http_request(port, "GET", "/ws", "", upgrade_headers({{"Origin", "null"}})).status, 403);
  // DNS rebinding: the attacker's name in Host, with the "same" origin.
  auto rebound = http_request(port, "GET", "/ws", "",
                              upgrade_headers({{"Host", "evil.example:" + std::to_string(port)},
                                               {"Origin", "http://evil.example:" + std::to_string(port)}}));
  EXPECT_EQ(rebound.status, 403);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs", "", {{"Host", "evil.example"}}).status, 403);
  EXPECT_EQ(http_request(port, "GET", "/", "", {{"Host", "evil.example"}}).status, 403);

  // The server's own page, an allowed origin, and clients that send no Origin are served.
  WsClient own(port, {{"Origin", "http://" + self}});
  own.hello();
  WsClient allowed(port, {{"Origin", "https://app.example.com"}});
  allowed.hello();
  WsClient localhost(port, {{"Host", "localhost:" + std::to_string(port)},
                            {"Origin", "http://localhost:" + std::to_string(port)}});
  localhost.hello();

  // State-changing HTTP from a foreign page is refused; a GET's answer carries no CORS grant.
  EXPECT_EQ(http_request(port, "PUT", "/api/jobs/x.csv", "a\n", {{"Origin", "http://evil.example"}}).status, 403);
  EXPECT_EQ(http_request(port, "POST", "/api/jobs?name=x.csv", "a\n", {{"Origin", "http://evil.example"}}).status,
            403);
  auto read = http_request(port, "GET", "/api/jobs", "", {{"Origin", "http://evil.example"}});
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.headers.count("access-control-allow-origin"), 0u);
  // CORS answers the allowed origin only.
  auto preflight = http_request(port, "OPTIONS", "/api/jobs",
                                "", {{"Origin", "https://app.example.com"},
                                     {"Access-Control-Request-Method", "PUT"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.headers["access-control-allow-origin"], "https://app.example.com");
  EXPECT_NE(preflight.headers["access-control-allow-headers"].find("Authorization"), std::string::npos);
  EXPECT_EQ(http_request(port, "OPTIONS", "/api/jobs", "", {{"Origin", "http://evil.example"}}).status, 403);
  auto put = http_request(port, "PUT", "/api/jobs/y.csv?wait=30", "a\n1\n", {{"Origin", "https://app.example.com"}});
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.headers["access-control-allow-origin"], "https://app.example.com");
  EXPECT_EQ(put.headers["vary"], "Origin");

  // Each refusal is logged with its reason.
  const std::string log = server.log();
  EXPECT_NE(log.find("\"request_refused\""), std::string::npos);
  EXPECT_NE(log.find("does not answer to the name 'evil.example'"), std::string::npos) << log;
}

TEST(ServerBrowserBoundary, ANamedHostIsAnsweredOnlyWhenAllowed) {
  ServerProcess server({"--workers", "1", "--allow-host", "fastthread.internal"});
  const unsigned short port = server.port();
  EXPECT_EQ(http_request(port, "GET", "/healthz", "", {{"Host", "fastthread.internal"}}).status, 200);
  EXPECT_EQ(http_request(port, "GET", "/healthz", "", {{"Host", "FastThread.Internal:443"}}).status, 200);
  EXPECT_EQ(http_request(port, "GET", "/healthz", "", {{"Host", "other.internal"}}).status, 403);
  // Behind a TLS proxy the page's origin is https on the default port.
  WsClient proxied(port, {{"Host", "fastthread.internal"}, {"Origin", "https://fastthread.internal"}});
  proxied.hello();
  EXPECT_EQ(http_request(port, "GET", "/ws", "",
                         upgrade_headers({{"Host", "fastthread.internal"},
                                          {"Origin", "https://fastthread.internal:8443"}}))
                .status,
            403);
}

TEST(ServerJobList, IsPagedNewestFirstAndFilteredByState) {
  ServerProcess server({"--workers", "1"});
  const unsigned short port = server.port();
  const std::string client = http_request(port, "GET", "/api/jobs").headers["x-client-id"];
  const std::map<std::string, std::string> me = {{"X-Client-Id", client}};
  for (int i = 0; i < 5; ++i) upload(port, "f" + std::to_string(i) + ".csv", "a\n1\n", me);
  auto bad = http_request(port, "PUT", "/api/jobs/bad.csv?wait=30&max_errors=0", "a,b\n1\n", me);
  EXPECT_EQ(bad.json()["state"], "failed") << bad.body;

  auto page1 = http_request(port, "GET", "/api/jobs?limit=2", "", me).json();
  ASSERT_EQ(page1["jobs"].size(), 2u);
  EXPECT_EQ(page1["jobs"][0]["name"], "bad.csv");
  EXPECT_EQ(page1["jobs"][1]["name"], "f4.csv");
  const std::string next = page1["next"];
  auto page2 = http_request(port, "GET", "/api/jobs?limit=2&before=" + next, "", me).json();
  ASSERT_EQ(page2["jobs"].size(), 2u);
  EXPECT_EQ(page2["jobs"][0]["name"], "f3.csv");
  auto page3 = http_request(port, "GET", "/api/jobs?limit=2&before=" + page2["next"].get<std::string>(), "", me)
                   .json();
  ASSERT_EQ(page3["jobs"].size(), 2u);
  EXPECT_TRUE(page3["next"].is_null());
  auto done = http_request(port, "GET", "/api/jobs?state=done", "", me).json();
  EXPECT_EQ(done["jobs"].size(), 5u);
  auto failed = http_request(port, "GET", "/api/jobs?state=failed", "", me).json();
  ASSERT_EQ(failed["jobs"].size(), 1u);
  EXPECT_EQ(failed["jobs"][0]["name"], "bad.csv");
  EXPECT_EQ(http_request(port, "GET", "/api/jobs?state=happy", "", me).status, 400);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs?limit=0", "", me).status, 400);
  EXPECT_EQ(http_request(port, "GET", "/api/jobs?before=x", "", me).status, 400);
}

}  // namespace
}  // namespace fastthread::testing
