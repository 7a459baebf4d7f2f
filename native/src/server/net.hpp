// Short names for the Boost.Asio/Beast types the sessions use, and the connection slot.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <memory>
#include <string>

#include "server/shared_state.hpp"

namespace fastthread::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// Holds one of the --max-connections places, and one of its address's, for as long as a
// connection lives (every way a session ends gives them back); moves with the connection
// from its HTTP session to its WebSocket session. Made for an admitted connection only.
class ConnectionSlot {
 public:
  ConnectionSlot(std::shared_ptr<SharedState> state, std::string address)
      : state_(std::move(state)), address_(std::move(address)) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept
      : state_(std::move(other.state_)), address_(std::move(other.address_)) {}
  ConnectionSlot& operator=(ConnectionSlot&&) = delete;
  ~ConnectionSlot() {
    if (state_) state_->connections().release(address_);
  }
  const std::string& address() const { return address_; }

 private:
  std::shared_ptr<SharedState> state_;
  std::string address_;
};

// Reports a failed operation, quietly for the ones that are part of normal life.
void fail(error_code ec, const char* what);

}  // namespace fastthread::server
