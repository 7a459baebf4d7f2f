// One WebSocket connection speaking protocol v1 (docs/protocol.md): JSON text messages
// and binary upload frames in, job and pool messages out through one write queue. The
// queue is capped (--max-send-queue-bytes): a client that does not read is dropped. An
// idle client is pinged, and closed when it answers nothing (--ws-idle-timeout); one that
// never says hello is closed too (--hello-timeout).
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/net.hpp"

namespace fastthread::server {

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession>, public ClientConnection {
 public:
  // `token`: the upgrade request's bearer token, if it had one (a hello may bring its own).
  WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnectionSlot slot,
                   std::string address, std::string token);
  ~WebSocketSession() override;

  // Finishes the upgrade the HTTP session read.
  void run(http::request<http::empty_body> request);
  void send(std::shared_ptr<const std::string> text) override;
  const Identity* identity() const override { return identity_ ? &*identity_ : nullptr; }
  void drop(const std::string& reason) override;

 private:
  void on_accept(error_code ec);
  void do_read();
  void on_read(error_code ec, std::size_t bytes);
  void on_text(const std::string& text);
  void on_binary(std::string_view frame);
  void write_front();
  void on_write(error_code ec, std::size_t bytes);
  // The client does not read what it is sent: close the socket, without a close
  // handshake it would not read either.
  void drop_unread();
  void on_hello_timeout();
  void refuse(const std::string& id, const std::string& message);
  void on_hello(const protocol::Hello& hello);
  // Closes once the queue is written, with `code` and `reason` in the close frame.
  void close_after_queue(websocket::close_code code, std::string reason);

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::vector<std::shared_ptr<const std::string>> queue_;  // the front one is being written
  std::uint64_t waiting_bytes_ = 0;  // in the queue behind the one being written
  // What a hello queued (the state of the client's jobs) may pass the cap by, while it
  // is still in the queue: a reading client with many jobs is not dropped for its hello.
  std::uint64_t hello_allowance_ = 0;
  bool in_hello_ = false;
  net::steady_timer hello_timer_;
  std::string address_;
  std::string upgrade_token_;
  std::optional<Identity> identity_;  // nullopt until a hello is accepted
  unsigned refused_hellos_ = 0;
  bool closing_ = false;  // close once the queue is written
  bool close_started_ = false;
  bool dropped_ = false;
  websocket::close_reason close_reason_;
};

}  // namespace fastthread::server
