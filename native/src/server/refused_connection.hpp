// A connection over --max-connections or --max-connections-per-address: its request
// header is read, answered 503 with a JSON error saying which limit, and the connection
// closes. It holds one of the few answered-refusal places (connection_limits.hpp) for a
// few seconds at most; without one the connection is closed unanswered.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "server/net.hpp"

namespace fastthread::server {

class RefusedConnection : public std::enable_shared_from_this<RefusedConnection> {
 public:
  // Answers `socket` with `message`, or closes it at once when no place is free.
  static void answer(tcp::socket&& socket, const std::shared_ptr<SharedState>& state, std::string message);
  ~RefusedConnection();

 private:
  RefusedConnection(tcp::socket&& socket, std::shared_ptr<SharedState> state, std::string message);
  void run();
  void on_header(error_code ec);
  void drain();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  std::string message_;
  http::request_parser<http::empty_body> parser_;
  std::shared_ptr<void> response_;
};

}  // namespace fastthread::server
