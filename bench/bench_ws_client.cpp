#include "bench_ws_client.hpp"

#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <stdexcept>

namespace fastthread::bench {
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

BenchClient::BenchClient(net::io_context& io, unsigned short port, std::size_t frame_bytes)
    : ws_(io), frame_bytes_(frame_bytes) {
  ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  ws_.next_layer().set_option(tcp::no_delay(true));
  // One WebSocket frame per upload message, as a browser sends it; masking goes through
  // a buffer this big.
  ws_.auto_fragment(false);
  ws_.write_buffer_bytes(256 * 1024);
  ws_.read_message_max(64 << 20);
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws");
}

BenchClient::~BenchClient() {
  *alive_ = false;
  boost::system::error_code ignored;
  ws_.next_layer().close(ignored);
}

void BenchClient::listen(Handler handler) {
  handler_ = std::move(handler);
  do_read();
}

void BenchClient::do_read() {
  ws_.async_read(buffer_, [this, alive = alive_](boost::system::error_code ec, std::size_t) {
    if (!*alive) return;
    const auto now = Clock::now();
    if (ec) {
      closed_ = true;
      return;
    }
    auto message = nlohmann::json::parse(boost::beast::buffers_to_string(buffer_.data()));
    buffer_.consume(buffer_.size());
    if (handler_) handler_(message, now);
    do_read();
  });
}

void BenchClient::send_json(const nlohmann::json& message) {
  texts_.emplace_back(message.dump(), false);
  pump();
}

void BenchClient::send_binary(std::string frame) {
  texts_.emplace_back(std::move(frame), true);
  pump();
}

void BenchClient::upload(const std::string& id, int fd, std::uint64_t offset, std::uint64_t size,
                         std::function<void(Clock::time_point)> sent) {
  uploads_.push_back({id, fd, offset, offset + size, std::move(sent)});
  pump();
}

// Messages go first, in order (a cancel does not wait behind an upload); uploads take
// turns, one frame each.
void BenchClient::pump() {
  if (writing_ || closed_) return;
  std::function<void(Clock::time_point)> after;
  if (!texts_.empty()) {
    const bool binary = texts_.front().second;
    frame_ = std::move(texts_.front().first);
    texts_.pop_front();
    ws_.text(!binary);
  } else if (!uploads_.empty()) {
    Upload u = std::move(uploads_.front());
    uploads_.pop_front();
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(frame_bytes_, u.end - u.next));
    frame_.assign(1, static_cast<char>(u.id.size()));
    frame_ += u.id;
    const std::size_t head = frame_.size();
    frame_.resize(head + n);
    std::size_t got = 0;
    while (got < n) {
      ssize_t r = ::pread(u.fd, frame_.data() + head + got, n - got, static_cast<off_t>(u.next + got));
      if (r <= 0) throw std::runtime_error("cannot read the upload's file");
      got += static_cast<std::size_t>(r);
    }
    u.next += n;
    if (u.next < u.end) {
      uploads_.push_back(std::move(u));
    } else {
      after = std::move(u.sent);
    }
    ws_.binary(true);
  } else {
    return;
  }
  writing_ = true;
  ws_.async_write(net::buffer(frame_), [this, alive = alive_, after = std::move(after)](
                                           boost::system::error_code ec, std::size_t) {
    if (!*alive) return;
    writing_ = false;
    if (ec) {
      closed_ = true;
      return;
    }
    if (after) after(Clock::now());
    pump();
  });
}

void BenchClient::close() {
  boost::system::error_code ignored;
  ws_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  closed_ = true;
}

}  // namespace fastthread::bench
