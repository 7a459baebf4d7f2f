// `fastthread serve` shared by strangers: what one connection may hold. A client that does
// not read is dropped and its jobs go on; idle WebSockets are pinged and closed when they
// answer nothing, and so are those that never say hello; one address gets a share of the
// connections; and at the open-file limit the server waits instead of spinning.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sstream>
#include <thread>

#include "server_harness.hpp"

namespace fastthread::testing {
namespace {

using Json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in quarantine (256 MB by default) and its
// allocator does not hand memory back: the resident size does not say what is held.
constexpr bool kResidentSizeMeansHeld = false;
#else
constexpr bool kResidentSizeMeansHeld = true;
#endif

// A CSV whose summary is large (statistics for each of its many columns), different for
// each `seed`, so the result cache does not answer it.
std::string wide_csv(int columns, int rows, int seed) {
  std::string csv;
  for (int c = 0; c < columns; ++c) {
    csv += c ? ",c" : "c";
    csv += std::to_string(c);
  }
  csv += "\n";
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      if (c) csv += ",";
      if (c % 3 == 0) csv += "w";
      csv += std::to_string(c % 3 ? (seed * 7919 + r * 104729 + c * 31) % 1000003 : (r + c) % 17);
    }
    csv += "\n";
  }
  return csv;
}

void start(WsClient& ws, const std::string& id, const std::string& csv) {
  ws.send_json({{"op", "start"}, {"id", id}, {"name", id + ".csv"}, {"size", csv.size()}});
  ws.send_upload(id, csv);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The server's log lines of `event`.
std::vector<Json> log_lines(const ServerProcess& server, const std::string& event) {
  std::vector<Json> out;
  std::istringstream lines(server.log());
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    auto json = Json::parse(line, nullptr, false);
    if (!json.is_discarded() && json.value("event", "") == event) out.push_back(json);
  }
  return out;
}

// The log lines of `event` once there is one (the server logs some after it listens).
std::vector<Json> wait_for_log(const ServerProcess& server, const std::string& event) {
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  auto lines = log_lines(server, event);
  while (lines.empty() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lines = log_lines(server, event);
  }
  return lines;
}

// A TCP connection that sends nothing; -1 when the connect fails.
int idle_socket(unsigned short port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// The CPU the server uses while nothing happens for `how_long` but what it does by itself.
double cpu_over(const ServerProcess& server, std::chrono::milliseconds how_long) {
  const double before = cpu_seconds(server.pid());
  std::this_thread::sleep_for(how_long);
  return cpu_seconds(server.pid()) - before;
}

TEST(ServerBounds, AClientThatDoesNotReadIsDroppedAndItsJobGoesOn) {
  ServerProcess server(
      {"--workers", "1", "--max-send-queue-bytes", "64K", "--max-jobs-per-minute", "100000"});
  WsClient reader(server.port());
  const std::string client = reader.hello();
  // The same client on a second connection that reads nothing from here on, with a
  // small receive buffer: it hears every message of the client's jobs.
  WsClient deaf(server.port(), {}, 4096);
  deaf.hello(client);
  start(deaf, "mine", wide_csv(1000, 20, 0));
  reader.read_until(op_is("finish", "mine"), nullptr, std::chrono::seconds(60));

  // Each finish carries a summary of about 900 KB; every job is deleted once read, so
  // only what is queued for the deaf connection could pile up in the master.
  const std::uint64_t rss_before = resident_bytes(server.pid());
  constexpr int kJobs = 80;
  for (int i = 1; i <= kJobs; ++i) {
    const std::string id = "flood" + std::to_string(i);
    start(reader, id, wide_csv(1000, 20, i));
    auto finish = reader.read_until(op_is("finish", id), nullptr, std::chrono::seconds(60));
    const std::string url = finish["output"]["url"];
    const std::string key = url.substr(10, url.size() - 10 - 7);  // /api/jobs/KEY/output
    ASSERT_EQ(http_request(server.port(), "DELETE", "/api/jobs/" + key, "", {{"X-Client-Id", client}}).status,
              200);
  }
  const std::uint64_t rss_after = resident_bytes(server.pid());

  auto dropped = log_lines(server, "connection_dropped");
  ASSERT_EQ(dropped.size(), 1u) << server.log();
  EXPECT_EQ(dropped[0]["address"], "127.0.0.1");
  EXPECT_GT(dropped[0]["queued_bytes"].get<std::uint64_t>(), 64u << 10);
  EXPECT_NE(dropped[0]["reason"].get<std::string>().find("--max-send-queue-bytes"), std::string::npos);
  // Without the cap the deaf connection would hold some 70 MB of finish messages.
  if (kResidentSizeMeansHeld) {
    EXPECT_LT(rss_after, rss_before + (32u << 20)) << "before " << rss_before << ", after " << rss_after;
  }

  // Its job went on: the client sees it done when it comes back.
  WsClient again(server.port());
  again.hello(client);
  auto finish = again.read_until(op_is("finish", "mine"));
  EXPECT_EQ(finish["summary"]["rows"], 20);
  // The reading connection was never in danger.
  reader.send_json({{"op", "cancel"}, {"id", "nope"}});
  EXPECT_EQ(reader.read_until(op_is("error", "nope"))["code"], "not_found");
}

TEST(ServerBounds, AnIdleWebSocketIsPingedAndClosedWhenItAnswersNothing) {
  ServerProcess server({"--workers", "1", "--ws-idle-timeout", "2"});
  WsClient silent(server.port());
  silent.hello();
  WsClient answering(server.port());
  answering.hello();
  // Reading answers the server's pings; nothing else comes or goes for three timeouts.
  const auto until = Clock::now() + std::chrono::seconds(6);
  while (Clock::now() < until && !answering.closed())
    answering.read(std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
  EXPECT_FALSE(answering.closed()) << "a client that answers pings was closed";
  // The silent one did not read, so it answered no ping: what it was sent, then the end.
  while (silent.read(std::chrono::seconds(10))) {
  }
  EXPECT_TRUE(silent.closed()) << "a client that answered nothing was not closed";
  answering.send_json({{"op", "cancel"}, {"id", "nope"}});
  EXPECT_EQ(answering.read_until(op_is("error", "nope"))["code"], "not_found");
}

TEST(ServerBounds, AWebSocketThatSaysNoHelloIsClosed) {
  ServerProcess server({"--workers", "1", "--hello-timeout", "1"});
  WsClient quiet(server.port());
  WsClient greeted(server.port());
  greeted.hello();
  auto error = quiet.read(std::chrono::seconds(20));
  ASSERT_TRUE(error.has_value()) << "no word before the close";
  EXPECT_EQ((*error)["op"], "error");
  EXPECT_EQ((*error)["code"], "timeout");
  EXPECT_NE((*error)["message"].get<std::string>().find("--hello-timeout"), std::string::npos) << *error;
  EXPECT_FALSE(quiet.read(std::chrono::seconds(20)).has_value());
  EXPECT_TRUE(quiet.closed());
  EXPECT_EQ(quiet.close_code(), 1008);
  EXPECT_NE(quiet.close_reason().find("--hello-timeout"), std::string::npos) << quiet.close_reason();
  // The one that said hello stays, past the timeout.
  greeted.read(std::chrono::seconds(2));
  EXPECT_FALSE(greeted.closed());
  greeted.send_json({{"op", "cancel"}, {"id", "nope"}});
  EXPECT_EQ(greeted.read_until(op_is("error", "nope"))["code"], "not_found");
}

TEST(ServerBounds, OneAddressGetsItsShareOfTheConnections) {
  ServerProcess server({"--workers", "1", "--max-connections-per-address", "3"});
  std::vector<std::unique_ptr<WsClient>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<WsClient>(server.port()));
    held.back()->hello();
  }
  auto refused = http_request(server.port(), "GET", "/healthz");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json()["error"]["code"], "busy");
  EXPECT_NE(refused.json()["error"]["message"].get<std::string>().find("--max-connections-per-address 3"),
            std::string::npos)
      << refused.body;
  EXPECT_THROW(WsClient{server.port()}, std::runtime_error) << "a fourth WebSocket was accepted";
  auto logged = log_lines(server, "connection_refused");
  ASSERT_FALSE(logged.empty());
  EXPECT_EQ(logged[0]["address"], "127.0.0.1");

  // One goes; once the server has seen it go, a new one comes in.
  held[0]->close();
  held.erase(held.begin());
  for (const auto deadline = Clock::now() + std::chrono::seconds(20);
       held.size() < 3 && Clock::now() < deadline;) {
    try {
      held.push_back(std::make_unique<WsClient>(server.port()));
    } catch (const std::runtime_error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_EQ(held.size(), 3u) << "the place of a closed connection did not come back";
  held.back()->hello();
}

TEST(ServerBounds, AtTheOpenFileLimitTheServerWaitsInsteadOfSpinning) {
  if (::access("/usr/bin/prlimit", X_OK) != 0) GTEST_SKIP() << "no prlimit";
  ServerProcess server({"--workers", "1"}, "", Launch{64});
  auto startup = wait_for_log(server, "startup");
  ASSERT_EQ(startup.size(), 1u) << server.log();
  const std::size_t at_start = open_descriptors(server.pid());
  const Json files = startup[0]["open_files"];
  EXPECT_EQ(files["limit"], 64) << files;
  EXPECT_EQ(files["max_connections_lowered_from"], 1024) << files;
  const std::uint64_t max_connections = files["max_connections"];
  EXPECT_GT(max_connections, 0u);
  EXPECT_LT(max_connections, 32u);
  EXPECT_NE(server.log().find("--max-connections lowered from 1024"), std::string::npos) << server.log();

  // Idle sockets well past the lowered maximum: the extra ones are answered or closed.
  std::vector<int> sockets;
  for (int i = 0; i < 100; ++i) sockets.push_back(idle_socket(server.port()));
  EXPECT_LT(cpu_over(server, std::chrono::seconds(2)), 0.5);
  EXPECT_TRUE(log_lines(server, "accept_failed").empty()) << "the lowered maximum should keep accept working";
  for (int fd : sockets) ::close(fd);
  sockets.clear();
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200);

  // Now the descriptors run out anyway (as if something else held them): the server's
  // limit is lowered to two more than it has open, and more sockets come than fit.
  const auto settled = Clock::now() + std::chrono::seconds(20);
  while (open_descriptors(server.pid()) > at_start && Clock::now() < settled)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const rlimit lowered{open_descriptors(server.pid()) + 2, 64};
  ASSERT_EQ(::prlimit(server.pid(), RLIMIT_NOFILE, &lowered, nullptr), 0);
  for (int i = 0; i < 30; ++i) sockets.push_back(idle_socket(server.port()));
  const double cpu = cpu_over(server, std::chrono::seconds(2));
  EXPECT_LT(cpu, 0.5) << "the server spins on accept";
  const auto failed = log_lines(server, "accept_failed");
  ASSERT_GE(failed.size(), 1u) << server.log();
  EXPECT_LE(failed.size(), 3u) << server.log();
  EXPECT_NE(failed[0]["reason"].get<std::string>().find("open files"), std::string::npos) << failed[0];
  // Once the sockets go, it answers again.
  for (int fd : sockets) ::close(fd);
  EXPECT_EQ(http_request(server.port(), "GET", "/healthz").status, 200);
  EXPECT_LE(count(server.log(), "\"accept_failed\""), 3u);
}

}  // namespace
}  // namespace fastthread::testing
