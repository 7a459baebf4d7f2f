#include "server_harness.hpp"

#include "server/listening_line.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace fastthread::testing {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

// The socket's blocking reads and writes give up after `timeout`.
void set_socket_timeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> args, std::string data_dir) {
  data_dir_ = data_dir.empty() ? temp_.path("data") : data_dir;
  std::vector<std::string> argv_storage = {FASTTHREAD_BINARY, "serve", "--host",     "127.0.0.1",
                                           "--port",          "0",     "--data-dir", data_dir_};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, temp_.path("stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + argv_storage[0]);
  // Read stdout until the "listening on" line (or give up after 20 s).
  std::string text;
  auto port = fastthread::server::read_listening_port(out[0], std::chrono::seconds(20), text);
  ::close(out[0]);
  if (!port) {
    stop(SIGKILL);
    throw std::runtime_error("the server did not say where it listens; stdout: " + text +
                             " stderr: " + log());
  }
  port_ = *port;
}

ServerProcess::~ServerProcess() {
  if (!exited_) stop(SIGKILL);
}

std::vector<pid_t> ServerProcess::children() const {
  std::vector<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == pid_ && state != 'Z') out.push_back(static_cast<pid_t>(std::stoi(name)));
  }
  return out;
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (exited_) return -1;
  ::kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      exited_ = true;
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  exited_ = true;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServerProcess::log() const {
  return temp_.read("stderr");
}

bool process_gone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

WsClient::WsClient(unsigned short port, const std::map<std::string, std::string>& headers) : ws_(io_) {
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
  ws_.next_layer().connect(endpoint);
  set_socket_timeout(ws_.next_layer().native_handle(), std::chrono::seconds(20));
  ws_.set_option(boost::beast::websocket::stream_base::decorator(
      [headers](boost::beast::websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
      }));
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
}

WsClient::~WsClient() {
  boost::system::error_code ignored;
  ws_.next_layer().close(ignored);
}

void WsClient::send_json(const nlohmann::ordered_json& message) {
  send_text(message.dump());
}

void WsClient::send_text(const std::string& text) {
  ws_.text(true);
  ws_.write(net::buffer(text));
}

void WsClient::send_binary(const std::string& bytes) {
  ws_.binary(true);
  ws_.write(net::buffer(bytes));
}

void WsClient::send_upload(const std::string& id, std::string_view payload) {
  std::string frame(1, static_cast<char>(id.size()));
  frame += id;
  frame.append(payload);
  send_binary(frame);
}

std::optional<nlohmann::ordered_json> WsClient::read(std::chrono::milliseconds timeout) {
  set_socket_timeout(ws_.next_layer().native_handle(), timeout);
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  ws_.read(buffer, ec);
  if (ec) return std::nullopt;
  return nlohmann::ordered_json::parse(beast::buffers_to_string(buffer.data()));
}

nlohmann::ordered_json WsClient::read_until(const std::function<bool(const nlohmann::ordered_json&)>& match,
                                    std::vector<nlohmann::ordered_json>* seen, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) throw std::runtime_error("no matching message in time");
    auto message = read(left);
    if (!message) throw std::runtime_error("the connection closed (or went quiet) before a matching message");
    if (seen) seen->push_back(*message);
    if (match(*message)) return *message;
  }
}

std::string WsClient::hello(const std::string& client_id, const std::string& token) {
  nlohmann::ordered_json message = {{"op", "hello"}, {"v", 1}, {"client_id", client_id}};
  if (!token.empty()) message["token"] = token;
  send_json(message);
  return read_until(op_is("hello")).at("client_id").get<std::string>();
}

void WsClient::close() {
  boost::system::error_code ignored;
  ws_.close(boost::beast::websocket::close_code::normal, ignored);
}

std::string add_token(const std::string& file, const std::string& name) {
  auto r = run_fastthread({"token", "add", name, "--tokens", file});
  if (r.exit_code != 0) throw std::runtime_error("fastthread token add failed: " + r.err);
  return r.out.substr(0, r.out.find('\n'));
}

std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& body, const std::map<std::string, std::string>& headers) {
  net::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  set_socket_timeout(socket.native_handle(), std::chrono::seconds(60));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ull << 32);
  if (method == "HEAD") parser.skip(true);
  http::read(socket, buffer, parser);
  HttpResult result;
  result.status = static_cast<int>(parser.get().result_int());
  for (const auto& field : parser.get()) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[name] = std::string(field.value());
  }
  result.body = parser.get().body();
  return result;
}

std::function<bool(const nlohmann::ordered_json&)> op_is(const std::string& op, const std::string& id) {
  return [op, id](const nlohmann::ordered_json& m) {
    return m.value("op", "") == op && (id.empty() || m.value("id", "") == id);
  };
}

std::string make_csv(std::size_t bytes) {
  std::string csv = "id,name,price,when,flag\n";
  for (std::uint64_t i = 0; csv.size() < bytes; ++i) {
    csv += std::to_string(i) + ",\"item " + std::to_string(i * 7919 % 1000) + "\"," +
           std::to_string(i % 997) + "." + std::to_string(i % 100) + ",2024-0" + std::to_string(1 + i % 9) +
           "-1" + std::to_string(i % 10) + "," + (i % 3 ? "true" : "false") + "\n";
  }
  return csv;
}

}  // namespace fastthread::testing
