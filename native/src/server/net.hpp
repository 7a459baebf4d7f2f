// Short names for the Boost.Asio/Beast types the sessions use, and the connection slot.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>

#include "server/shared_state.hpp"

namespace fastthread::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// Holds one of the --max-connections places for as long as a connection lives; moves
// with the connection from its HTTP session to its WebSocket session.
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::shared_ptr<SharedState> state) : state_(std::move(state)) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept : state_(std::move(other.state_)) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (state_) state_->release_connection();
  }

 private:
  std::shared_ptr<SharedState> state_;
};

// Reports a failed operation, quietly for the ones that are part of normal life.
void fail(error_code ec, const char* what);

}  // namespace fastthread::server
