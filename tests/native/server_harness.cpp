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

constexpr auto kWsDeadline = std::chrono::seconds(20);

// A line of /proc/PID/stat split after its command (which may hold spaces): field 3 on.
std::vector<std::string> stat_fields(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  std::vector<std::string> fields;
  auto close = line.rfind(')');
  if (close == std::string::npos) return fields;
  std::istringstream rest(line.substr(close + 2));
  for (std::string f; rest >> f;) fields.push_back(f);
  return fields;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> args, std::string data_dir, Launch launch) {
  data_dir_ = data_dir.empty() ? temp_.path("data") : data_dir;
  std::vector<std::string> argv_storage;
  if (launch.open_files != 0) {
    // prlimit sets the limits on itself and execs the server: the pid stays the server's.
    const std::string n = std::to_string(launch.open_files);
    argv_storage = {"prlimit", "--nofile=" + n + ":" + n, "--"};
  }
  const std::vector<std::string> serve = {FASTTHREAD_BINARY, "serve", "--host",     "127.0.0.1",
                                          "--port",          "0",     "--data-dir", data_dir_};
  argv_storage.insert(argv_storage.end(), serve.begin(), serve.end());
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
  int rc = posix_spawnp(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
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

std::uint64_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return 0;
}

double cpu_seconds(pid_t pid) {
  // Fields 14 and 15 of the line (utime, stime), in clock ticks; 3 is the first kept.
  const auto fields = stat_fields(pid);
  if (fields.size() < 13) return 0;
  return static_cast<double>(std::stoull(fields[11]) + std::stoull(fields[12])) /
         static_cast<double>(::sysconf(_SC_CLK_TCK));
}

std::size_t open_descriptors(pid_t pid) {
  std::error_code ec;
  std::size_t n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++n;
  return n;
}

WsClient::WsClient(unsigned short port, const std::map<std::string, std::string>& headers, int receive_buffer)
    : ws_(io_) {
  auto& socket = ws_.next_layer();
  socket.open(tcp::v4());
  if (receive_buffer > 0) socket.set_option(net::socket_base::receive_buffer_size(receive_buffer));
  auto step = std::make_shared<std::optional<boost::system::error_code>>();
  socket.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                       [step](boost::system::error_code ec) { *step = ec; });
  if (!run_until([&] { return step->has_value(); }, kWsDeadline) || **step)
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  ws_.set_option(boost::beast::websocket::stream_base::decorator(
      [headers](boost::beast::websocket::request_type& request) {
        for (const auto& [name, value] : headers) request.set(name, value);
      }));
  const std::string host = "127.0.0.1:" + std::to_string(port);
  step->reset();
  ws_.async_handshake(host, "/ws", [step](boost::system::error_code ec) { *step = ec; });
  if (!run_until([&] { return step->has_value(); }, kWsDeadline))
    throw std::runtime_error("no answer to the WebSocket upgrade");
  if (**step) throw std::runtime_error("the WebSocket upgrade failed: " + (*step)->message());
  start_read();
}

WsClient::~WsClient() {
  boost::system::error_code ignored;
  ws_.next_layer().close(ignored);
}

void WsClient::start_read() {
  ws_.async_read(buffer_, [this](boost::system::error_code ec, std::size_t) {
    if (ec) {
      closed_ = true;
      return;
    }
    messages_.push_back(beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    start_read();
  });
}

bool WsClient::run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  // A run that found nothing left to do stopped the context: new work needs a restart.
  if (io_.stopped()) io_.restart();
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io_.run_one_until(deadline) == 0 && io_.stopped()) return done();  // nothing is pending any more
  }
  return true;
}

void WsClient::write(const std::string& bytes, bool text) {
  // The write's state outlives this call if it times out, as the write itself does.
  struct Pending {
    std::string bytes;
    std::optional<boost::system::error_code> result;
  };
  auto pending = std::make_shared<Pending>(Pending{bytes, std::nullopt});
  ws_.text(text);
  ws_.async_write(net::buffer(pending->bytes),
                  [pending](boost::system::error_code ec, std::size_t) { pending->result = ec; });
  if (!run_until([&] { return pending->result.has_value(); }, kWsDeadline))
    throw std::runtime_error("a WebSocket write did not finish in time (the server does not read)");
  if (*pending->result) throw boost::system::system_error(*pending->result);
}

void WsClient::send_json(const nlohmann::ordered_json& message) {
  send_text(message.dump());
}

void WsClient::send_text(const std::string& text) {
  write(text, true);
}

void WsClient::send_binary(const std::string& bytes) {
  write(bytes, false);
}

void WsClient::send_upload(const std::string& id, std::string_view payload) {
  std::string frame(1, static_cast<char>(id.size()));
  frame += id;
  frame.append(payload);
  send_binary(frame);
}

std::optional<nlohmann::ordered_json> WsClient::read(std::chrono::milliseconds timeout) {
  run_until([this] { return !messages_.empty() || closed_; }, timeout);
  if (messages_.empty()) return std::nullopt;
  std::string text = std::move(messages_.front());
  messages_.pop_front();
  return nlohmann::ordered_json::parse(text);
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
  if (closed_) return;
  auto done = std::make_shared<bool>(false);
  ws_.async_close(boost::beast::websocket::close_code::normal, [done](boost::system::error_code) { *done = true; });
  run_until([&] { return *done; }, kWsDeadline);
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
  beast::tcp_stream stream(io);
  // One deadline for the whole exchange: a server that never answers fails the test.
  stream.expires_after(std::chrono::seconds(60));
  boost::system::error_code ec;
  auto finish = [&](const char* step) {
    io.run();
    io.restart();
    if (ec) throw std::runtime_error(std::string("http_request ") + target + ": " + step + ": " + ec.message());
  };
  stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                       [&](boost::system::error_code e) { ec = e; });
  finish("connect");
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [k, v] : headers) req.set(k, v);
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
  http::async_write(stream, req, [&](boost::system::error_code e, std::size_t) { ec = e; });
  finish("write");
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ull << 32);
  if (method == "HEAD") parser.skip(true);
  http::async_read(stream, buffer, parser, [&](boost::system::error_code e, std::size_t) { ec = e; });
  finish("read");
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
