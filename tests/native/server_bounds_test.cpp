// `fastthread serve` shared by strangers: what connections may hold. One address gets a
// share of the connections, and at the open-file limit the server waits instead of spinning.
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
