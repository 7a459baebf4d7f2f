// `fastthread serve`: every malformed thing a client can send is answered with an
// `error` (bad_request), and the server goes on serving that client and everyone else.
#include <gtest/gtest.h>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

nlohmann::ordered_json expect_bad_request(WsClient& ws) {
  auto m = ws.read_until(op_is("error"));
  EXPECT_EQ(m["code"], "bad_request") << m;
  EXPECT_FALSE(m["message"].get<std::string>().empty());
  return m;
}

TEST(ServerProtocol, MalformedMessagesAreAnsweredAndTheServerGoesOn) {
  ServerProcess server({"--workers", "1", "--max-text-bytes", "2048", "--max-frame-bytes", "4096"});
  WsClient bystander(server.port());
  bystander.hello();

  WsClient ws(server.port());
  ws.send_json({{"op", "start"}, {"id", "f1"}, {"name", "x"}, {"size", 1}});
  EXPECT_NE(expect_bad_request(ws)["message"].get<std::string>().find("hello"), std::string::npos);
  ws.hello();
  ws.send_text("this is not json");
  expect_bad_request(ws);
  ws.send_json({{"op", "strat"}, {"id", "f1"}});
  EXPECT_NE(expect_bad_request(ws)["message"].get<std::string>().find("strat"), std::string::npos);
  ws.send_json({{"op", "start"}, {"id", 5}, {"name", "x"}, {"size", 1}});
  expect_bad_request(ws);
  ws.send_json({{"op", "start"}, {"id", "f1"}, {"name", "x.csv"}, {"size", "big"}});
  expect_bad_request(ws);
  ws.send_json({{"op", "start"}, {"id", "f1"}, {"name", "x.csv"}, {"size", 3}, {"options", {{"to", "xml"}}}});
  auto bad_option = expect_bad_request(ws);
  EXPECT_EQ(bad_option["id"], "f1");
  EXPECT_NE(bad_option["message"].get<std::string>().find("'to'"), std::string::npos);
  ws.send_json(nlohmann::ordered_json::array({1, 2}));
  expect_bad_request(ws);
  // Binary frames: for no job, and too short to hold the id they announce.
  ws.send_upload("ghost", "a,b\n");
  EXPECT_EQ(expect_bad_request(ws)["id"], "ghost");
  ws.send_binary(std::string(1, '\x09') + "abc");
  expect_bad_request(ws);
  ws.send_binary("");
  expect_bad_request(ws);
  // More bytes than the start announced fail that job.
  ws.send_json({{"op", "start"}, {"id", "small"}, {"name", "s.csv"}, {"size", 4}});
  ws.read_until(op_is("queued", "small"));
  ws.send_upload("small", "a,b\n1,2\n");
  EXPECT_EQ(ws.read_until(op_is("error", "small"))["code"], "bad_request");

  // Still serving this connection:
  ws.send_json({{"op", "start"}, {"id", "ok"}, {"name", "ok.csv"}, {"size", 8}});
  ws.send_upload("ok", "a,b\n1,2\n");
  EXPECT_EQ(ws.read_until(op_is("finish", "ok"))["summary"]["rows"], 1);

  // An oversized text message: answered, then that connection (only) closes.
  WsClient big(server.port());
  big.hello();
  big.send_text(std::string(5000, ' '));
  auto error = big.read_until(op_is("error"));
  EXPECT_EQ(error["code"], "bad_request");
  EXPECT_NE(error["message"].get<std::string>().find("--max-text-bytes"), std::string::npos);
  EXPECT_FALSE(big.read(std::chrono::seconds(5)).has_value());
  // An oversized binary frame likewise.
  WsClient bigger(server.port());
  bigger.hello();
  bigger.send_upload("x", std::string(10000, 'x'));
  EXPECT_NE(bigger.read_until(op_is("error"))["message"].get<std::string>().find("--max-frame-bytes"),
            std::string::npos);

  // Everyone else is unaffected.
  bystander.send_json({{"op", "start"}, {"id", "b1"}, {"name", "b.csv"}, {"size", 8}});
  bystander.send_upload("b1", "a,b\n1,2\n");
  EXPECT_EQ(bystander.read_until(op_is("finish", "b1"))["summary"]["rows"], 1);
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200);
}

TEST(ServerProtocol, LimitsAreAnsweredWithTheirNames) {
  // Per-client limits count per principal: three of them, so that each has its own.
  TempDir dir;
  const std::string tokens = dir.path("tokens");
  const std::string alice = add_token(tokens, "alice"), bob = add_token(tokens, "bob"),
                    carol = add_token(tokens, "carol");
  ServerProcess server({"--workers", "1", "--max-file-bytes", "1000", "--max-jobs-per-client", "2",
                        "--max-queued-jobs", "3", "--tokens", tokens});
  WsClient ws(server.port());
  ws.hello("", alice);
  ws.send_json({{"op", "start"}, {"id", "huge"}, {"name", "h.csv"}, {"size", 5000}});
  auto too_large = ws.read_until(op_is("error", "huge"));
  EXPECT_EQ(too_large["code"], "too_large");
  EXPECT_NE(too_large["message"].get<std::string>().find("--max-file-bytes"), std::string::npos);

  for (const char* id : {"j1", "j2"}) {
    ws.send_json({{"op", "start"}, {"id", id}, {"name", "j.csv"}, {"size", 10}});
    ws.read_until(op_is("queued", id));
  }
  // Half of j1's bytes: it takes the one worker; j2 still waits for its bytes.
  ws.send_upload("j1", "a,b\n1");
  ws.read_until(op_is("start", "j1"));
  ws.send_json({{"op", "start"}, {"id", "j3"}, {"name", "j.csv"}, {"size", 10}});
  auto limited = ws.read_until(op_is("error", "j3"));
  EXPECT_EQ(limited["code"], "rate_limited");
  EXPECT_NE(limited["message"].get<std::string>().find("--max-jobs-per-client"), std::string::npos);

  // Two more clients fill the queue (j1 runs, j2 waits): the next start hears busy.
  WsClient other(server.port()), third(server.port());
  other.hello("", bob);
  third.hello("", carol);
  other.send_json({{"op", "start"}, {"id", "o1"}, {"name", "o.csv"}, {"size", 10}});
  other.read_until(op_is("queued", "o1"));
  other.send_json({{"op", "start"}, {"id", "o2"}, {"name", "o.csv"}, {"size", 10}});
  other.read_until(op_is("queued", "o2"));
  third.send_json({{"op", "start"}, {"id", "t1"}, {"name", "t.csv"}, {"size", 10}});
  auto busy = third.read_until(op_is("error", "t1"));
  EXPECT_EQ(busy["code"], "busy");
  EXPECT_NE(busy["message"].get<std::string>().find("--max-queued-jobs"), std::string::npos);

  // The same limits over HTTP, as status codes.
  auto r = http_request(server.port(), "POST", "/api/jobs?name=big.csv", std::string(2000, 'x'), bearer(carol));
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["error"]["code"], "too_large");
  r = http_request(server.port(), "POST", "/api/jobs?name=x.csv&to=xml", "a\n", bearer(carol));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("'to'"), std::string::npos);
  r = http_request(server.port(), "POST", "/api/jobs?name=x.csv", "a\n", bearer(carol));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.json()["error"]["code"], "busy");
}

TEST(ServerProtocol, JobsPerMinuteAndWaitTimeouts) {
  ServerProcess server({"--workers", "1", "--max-jobs-per-minute", "2"});
  // A job that waits for bytes that never come: ?wait runs out with 504, the job goes on.
  // Without tokens the limits count per address: the WebSocket client and the HTTP one share them.
  WsClient ws(server.port());
  ws.hello();
  ws.send_json({{"op", "start"}, {"id", "slow"}, {"name", "s.csv"}, {"size", 100}});
  ws.send_upload("slow", "a,b\n");
  ws.read_until(op_is("start", "slow"));
  auto r = http_request(server.port(), "POST", "/api/jobs?name=w.csv&wait=0.3", "a,b\n1,2\n");
  EXPECT_EQ(r.status, 504) << r.body;
  EXPECT_EQ(r.json()["error"]["code"], "timeout");
  r = http_request(server.port(), "POST", "/api/jobs?name=w.csv", "a,b\n1,2\n");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.json()["error"]["message"].get<std::string>().find("--max-jobs-per-minute"), std::string::npos);
}

}  // namespace
}  // namespace fastthread::testing
