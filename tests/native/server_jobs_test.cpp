// `fastthread serve`: cancelling, a worker killed under a job, reconnecting clients, and
// the pool broadcast. A job whose upload is not complete stays running (its worker waits
// for the bytes), which makes "running" deterministic.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <thread>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

nlohmann::ordered_json start_message(const std::string& id, std::size_t size) {
  return {{"op", "start"}, {"id", id}, {"name", id + ".csv"}, {"size", size}};
}

// The first `pool` message that satisfies `match`.
nlohmann::ordered_json wait_for_pool(WsClient& ws, const std::function<bool(const nlohmann::ordered_json&)>& match) {
  return ws.read_until([&](const nlohmann::ordered_json& m) { return m["op"] == "pool" && match(m); });
}

TEST(ServerJobs, CancelAQueuedAndARunningJob) {
  ServerProcess server({"--workers", "1"});
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = "a,b\n1,2\n3,4\n";
  // f1 takes the only worker and waits for the rest of its bytes.
  ws.send_json(start_message("f1", csv.size()));
  ws.send_upload("f1", csv.substr(0, 5));
  ws.read_until(op_is("start", "f1"));
  ws.send_json(start_message("f2", csv.size()));
  auto queued = ws.read_until(op_is("queued", "f2"));
  EXPECT_EQ(queued["position"], 0);

  ws.send_json({{"op", "cancel"}, {"id", "f2"}});
  ws.read_until(op_is("cancel", "f2"));
  ws.send_json({{"op", "cancel"}, {"id", "f1"}});
  ws.read_until(op_is("cancel", "f1"));
  // Bytes still on their way for a cancelled job are dropped quietly.
  ws.send_upload("f1", csv.substr(5));
  ws.send_json({{"op", "cancel"}, {"id", "nope"}});
  auto error = ws.read_until(op_is("error", "nope"));
  EXPECT_EQ(error["code"], "not_found");

  // The worker is free again: a new job runs to the end.
  ws.send_json(start_message("f3", csv.size()));
  ws.send_upload("f3", csv);
  auto finish = ws.read_until(op_is("finish", "f3"));
  EXPECT_EQ(finish["summary"]["rows"], 2);
  // Nothing of the cancelled jobs is left in the spool.
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
}

// The server's queue (native/src/server/scheduler.*) hands the pool a job only when a
// worker is free: higher priority first, then first come.
TEST(ServerJobs, QueuedJobsStartByPriorityThenArrival) {
  ServerProcess server({"--workers", "1", "--upload-stall", "600"});
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = "a,b\n1,2\n3,4\n";
  ws.send_json(start_message("hold", csv.size()));
  ws.send_upload("hold", csv.substr(0, 5));
  ws.read_until(op_is("start", "hold"));
  for (const auto& [id, priority] : std::vector<std::pair<std::string, int>>{
           {"low1", 0}, {"gone", 0}, {"low2", 0}, {"high", 5}, {"lowest", -5}}) {
    auto start = start_message(id, csv.size());
    start["priority"] = priority;
    ws.send_json(start);
    ws.send_upload(id, csv);
    ws.read_until(op_is("queued", id));
  }
  ws.send_json({{"op", "cancel"}, {"id", "gone"}});
  ws.read_until(op_is("cancel", "gone"));
  auto health = http_request(server.port(), "GET", "/healthz").json();
  EXPECT_EQ(health["queued"], 4) << health;
  EXPECT_EQ(health["busy"], 1) << health;

  ws.send_upload("hold", csv.substr(5));
  std::vector<std::string> started;
  ws.read_until([&](const nlohmann::ordered_json& m) {
    if (m["op"] == "start" && m["id"] != "hold") started.push_back(m["id"]);
    return started.size() == 4;
  });
  EXPECT_EQ(started, (std::vector<std::string>{"high", "low1", "low2", "lowest"}));
  ws.read_until(op_is("finish", "lowest"));
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").json()["queued"], 0);
}

TEST(ServerJobs, AKilledWorkerFailsItsJobAndIsReplaced) {
  ServerProcess server({"--workers", "1"});
  WsClient ws(server.port());
  ws.hello();
  const std::string csv = "a,b\n1,2\n3,4\n";
  ws.send_json(start_message("f1", csv.size()));
  ws.send_upload("f1", csv.substr(0, 4));
  ws.read_until(op_is("start", "f1"));
  auto busy = wait_for_pool(ws, [](auto& m) { return m["busy"] == 1; });
  const int pid = busy["per_worker"][0]["pid"];
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);

  auto error = ws.read_until(op_is("error", "f1"));
  EXPECT_EQ(error["code"], "worker_crashed");
  EXPECT_NE(error["message"].get<std::string>().find("SIGKILL"), std::string::npos) << error;
  // Back to one worker, a new process.
  auto replaced = wait_for_pool(ws, [&](auto& m) {
    return m["workers"] == 1 && m["per_worker"][0]["pid"] != pid && m["per_worker"][0]["pid"] != 0;
  });
  EXPECT_EQ(replaced["per_worker"].size(), 1u);
  ws.send_json(start_message("f2", csv.size()));
  ws.send_upload("f2", csv);
  EXPECT_EQ(ws.read_until(op_is("finish", "f2"))["summary"]["rows"], 2);
}

TEST(ServerJobs, AReconnectingClientGetsItsJobsStates) {
  ServerProcess server({"--workers", "2"});
  const std::string csv = "a,b\n1,2\n3,4\n";
  std::string id;
  {
    WsClient ws(server.port());
    id = ws.hello();
    ws.send_json(start_message("done1", csv.size()));
    ws.send_upload("done1", csv);
    ws.read_until(op_is("finish", "done1"));
    ws.send_json(start_message("half", csv.size()));
    ws.send_upload("half", csv.substr(0, 6));
    ws.read_until(op_is("start", "half"));
    ws.close();
  }
  WsClient again(server.port());
  again.send_json({{"op", "hello"}, {"v", 1}, {"client_id", id}});
  std::vector<nlohmann::ordered_json> seen;
  again.read_until(op_is("pool"), &seen);
  ASSERT_GE(seen.size(), 4u);
  EXPECT_EQ(seen[0]["op"], "hello");
  EXPECT_EQ(seen[1]["op"], "finish");
  EXPECT_EQ(seen[1]["id"], "done1");
  EXPECT_EQ(seen[2]["op"], "start");
  EXPECT_EQ(seen[2]["id"], "half");
  // Where the upload stands: the client resumes from there.
  EXPECT_EQ(seen[3]["op"], "progress");
  EXPECT_EQ(seen[3]["phase"], "upload");
  EXPECT_EQ(seen[3]["bytes"], 6);
  again.send_upload("half", csv.substr(6));
  EXPECT_EQ(again.read_until(op_is("finish", "half"))["summary"]["rows"], 2);

  // Another client does not hear of them.
  WsClient stranger(server.port());
  stranger.send_json({{"op", "hello"}, {"v", 1}, {"client_id", "c-stranger"}});
  std::vector<nlohmann::ordered_json> theirs;
  stranger.read_until(op_is("pool"), &theirs);
  EXPECT_EQ(theirs.size(), 2u);
}

TEST(ServerJobs, AnUploadWhoseClientNeverComesBackFails) {
  ServerProcess server({"--workers", "1", "--upload-grace", "0.2"});
  std::string id;
  {
    WsClient ws(server.port());
    id = ws.hello();
    ws.send_json(start_message("f1", 100));
    ws.send_upload("f1", "a,b\n");
    ws.read_until(op_is("start", "f1"));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  WsClient back(server.port());
  back.send_json({{"op", "hello"}, {"v", 1}, {"client_id", id}});
  auto error = back.read_until(op_is("error", "f1"));
  EXPECT_EQ(error["code"], "timeout");
  EXPECT_NE(error["message"].get<std::string>().find("--upload-grace"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(server.data_dir() + "/spool"));
}

TEST(ServerJobs, EveryClientHearsOfThePool) {
  ServerProcess server({"--workers", "2"});
  WsClient a(server.port()), b(server.port());
  a.hello();
  b.hello();
  auto first = b.read_until(op_is("pool"));
  EXPECT_EQ(first["workers"], 2);
  EXPECT_EQ(first["per_worker"].size(), 2u);
  // a's job makes a worker busy: b hears of it too.
  a.send_json(start_message("f1", 10));
  a.send_upload("f1", "a,b\n");
  auto busy = b.read_until([](auto& m) { return m["op"] == "pool" && m["busy"] == 1; });
  EXPECT_EQ(busy["host"], "server");
  a.read_until([](auto& m) { return m["op"] == "pool" && m["busy"] == 1; });
  // Jobs events go to the owner only: b never sees f1.
  a.send_json({{"op", "cancel"}, {"id", "f1"}});
  a.read_until(op_is("cancel", "f1"));
  std::vector<nlohmann::ordered_json> seen;
  b.read_until([](auto& m) { return m["op"] == "pool" && m["busy"] == 0; }, &seen);
  for (const auto& m : seen) EXPECT_EQ(m["op"], "pool") << m;
}

}  // namespace
}  // namespace fastthread::testing
