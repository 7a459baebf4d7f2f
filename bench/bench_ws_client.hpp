// An asynchronous WebSocket client for the server benchmark: it reads every message the
// host sends (stamped with its arrival time) while it uploads, so the host's progress
// messages never back up. Uploads are pulled from a file in frames of a fixed size and
// interleave round-robin when several run at once. Single-threaded: drive its
// io_context from one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace fastthread::bench {

using Clock = std::chrono::steady_clock;

class BenchClient {
 public:
  using Handler = std::function<void(const nlohmann::json&, Clock::time_point)>;

  // Connects and does the WebSocket handshake (blocking); reading starts with listen().
  BenchClient(boost::asio::io_context& io, unsigned short port, std::size_t frame_bytes = 1 << 20);
  ~BenchClient();
  BenchClient(const BenchClient&) = delete;
  BenchClient& operator=(const BenchClient&) = delete;

  void listen(Handler handler);
  void send_json(const nlohmann::json& message);
  // A binary frame as it is (upload frames built by the caller), in order with the JSON.
  void send_binary(std::string frame);
  // Sends bytes [offset, offset + size) of the file at `fd` as upload frames of job `id`;
  // `sent` runs once the last frame is written to the socket.
  void upload(const std::string& id, int fd, std::uint64_t offset, std::uint64_t size,
              std::function<void(Clock::time_point)> sent = {});
  bool closed() const { return closed_; }
  void close();

 private:
  struct Upload {
    std::string id;
    int fd;
    std::uint64_t next, end;
    std::function<void(Clock::time_point)> sent;
  };
  void do_read();
  void pump();

  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
  boost::beast::flat_buffer buffer_;
  Handler handler_;
  std::size_t frame_bytes_;
  std::deque<std::pair<std::string, bool>> texts_;  // message, binary
  std::deque<Upload> uploads_;
  std::string frame_;
  bool writing_ = false;
  bool closed_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace fastthread::bench
