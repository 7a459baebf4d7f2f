// One WebSocket connection speaking protocol v1 (docs/protocol.md): JSON text messages
// and binary upload frames in, job and pool messages out through one write queue.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "server/net.hpp"

namespace fastthread::server {

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession>, public ClientConnection {
 public:
  WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnectionSlot slot);
  ~WebSocketSession() override;

  // Finishes the upgrade the HTTP session read.
  void run(http::request<http::empty_body> request);
  void send(std::shared_ptr<const std::string> text) override;

 private:
  void on_accept(error_code ec);
  void do_read();
  void on_read(error_code ec, std::size_t bytes);
  void on_text(const std::string& text);
  void on_binary(std::string_view frame);
  void on_write(error_code ec, std::size_t bytes);
  void refuse(const std::string& id, const std::string& message);
  void close_after_queue();

  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::vector<std::shared_ptr<const std::string>> queue_;
  std::string client_id_;  // "" until hello
  bool closing_ = false;   // close once the queue is written (after an oversized message)
  bool close_started_ = false;
};

}  // namespace fastthread::server
