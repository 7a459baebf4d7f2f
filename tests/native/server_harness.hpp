// Test helpers for `fastthread serve`: the real binary as a child process, and small
// synchronous Beast clients (WebSocket and HTTP) to talk to it.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace fastthread::testing {

// How to start the server besides its arguments.
struct Launch {
  unsigned open_files = 0;  // N: under `prlimit --nofile=N:N` (soft and hard); 0: as the tests run
};

// Starts `fastthread serve --host 127.0.0.1 --port 0 --data-dir <temp> ARGS...` and reads
// its "listening on" line. The destructor SIGKILLs it (and waits) if it still runs, so a
// failing test never leaves a server or a worker behind.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> args = {}, std::string data_dir = "", Launch launch = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& data_dir() const { return data_dir_; }
  // The server's direct children (its workers), from /proc.
  std::vector<pid_t> children() const;
  // Sends `signal` and waits up to `timeout` for the exit; the exit code (128+signal if
  // killed), or -1 if it did not exit in time.
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(20));
  std::string log() const;  // its stderr so far

 private:
  TempDir temp_;
  std::string data_dir_;
  pid_t pid_ = -1;
  unsigned short port_ = 0;
  bool exited_ = false;
};

// True when `pid` is gone (or only a zombie left for someone else to reap).
bool process_gone(pid_t pid);
// Its resident memory (VmRSS), and the CPU time it has used (user + system), from /proc.
std::uint64_t resident_bytes(pid_t pid);
double cpu_seconds(pid_t pid);
// Descriptors it has open.
std::size_t open_descriptors(pid_t pid);

// A WebSocket client speaking protocol v1 with blocking calls, each with a deadline so a
// missing message fails the test instead of hanging it. Underneath it is asynchronous:
// while any call waits, it reads what comes and answers pings (as a browser does), so a
// client only looks idle, or unread, to the server while the test calls nothing on it.
class WsClient {
 public:
  // `headers` go into the upgrade request (Host, Origin and Authorization among them);
  // `receive_buffer`: the socket's SO_RCVBUF when not 0 (small: a client that stops
  // reading fills it soon). Throws when the upgrade is not accepted.
  explicit WsClient(unsigned short port, const std::map<std::string, std::string>& headers = {},
                    int receive_buffer = 0);
  ~WsClient();
  void send_json(const nlohmann::ordered_json& message);
  void send_text(const std::string& text);
  void send_binary(const std::string& bytes);
  // One upload frame: id length, id, payload.
  void send_upload(const std::string& id, std::string_view payload);
  // The next message; nullopt when the connection closed (closed() then says so) or
  // nothing came in time.
  std::optional<nlohmann::ordered_json> read(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Reads until a message matches (collecting every message read into `seen` if given).
  nlohmann::ordered_json read_until(const std::function<bool(const nlohmann::ordered_json&)>& match,
                            std::vector<nlohmann::ordered_json>* seen = nullptr,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // hello and its answer; returns the client id.
  std::string hello(const std::string& client_id = "", const std::string& token = "");
  void close();
  // The server closed the connection, or it broke (messages read before stay readable).
  bool closed() const { return closed_; }
  // The close frame the server sent: code 0 when it sent none.
  int close_code() const { return static_cast<int>(ws_.reason().code); }
  std::string close_reason() const { return std::string(ws_.reason().reason.c_str()); }

 private:
  void start_read();
  // Runs the client until `done` says so or `timeout` passes; false then.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  void write(const std::string& bytes, bool text);

  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::string> messages_;  // read, not yet returned
  bool closed_ = false;
};

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  nlohmann::ordered_json json() const { return nlohmann::ordered_json::parse(body); }
};

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body = "", const std::map<std::string, std::string>& headers = {});

// Matches messages by op and id.
std::function<bool(const nlohmann::ordered_json&)> op_is(const std::string& op, const std::string& id = "");

// `fastthread token add NAME --tokens FILE`; returns the token it printed.
std::string add_token(const std::string& file, const std::string& name);
// {"Authorization": "Bearer TOKEN"}.
std::map<std::string, std::string> bearer(const std::string& token);

// A CSV of roughly `bytes` bytes with mixed columns, deterministic.
std::string make_csv(std::size_t bytes);

}  // namespace fastthread::testing
