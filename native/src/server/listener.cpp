#include "server/listener.hpp"

#include "server/http_session.hpp"
#include "server/json_log.hpp"

namespace fastthread::server {

void fail(error_code ec, const char* what) {
  // Normal ends of a connection are not worth a log line.
  if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
      ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset ||
      ec == net::error::broken_pipe) {
    return;
  }
  log_event("connection_error", {{"where", what}, {"reason", ec.message()}});
}

Listener::Listener(net::io_context& io, tcp::endpoint endpoint, std::shared_ptr<SharedState> state,
                   error_code& ec)
    : io_(io), acceptor_(io), state_(std::move(state)) {
  if (acceptor_.open(endpoint.protocol(), ec)) return;
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return;
  if (acceptor_.bind(endpoint, ec)) return;
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
}

void Listener::run() {
  do_accept();
}

void Listener::stop() {
  error_code ignored;
  acceptor_.close(ignored);
}

void Listener::do_accept() {
  acceptor_.async_accept(io_, [self = shared_from_this()](error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted) return;  // stop()
  if (ec) {
    fail(ec, "accept");
  } else if (state_->stopping()) {
    return;
  } else if (!state_->admit_connection()) {
    // Closing at once is the cheapest answer; one log line per burst, not per socket.
    if (!refused_logged_) {
      log_event(
          "connection_refused",
          {{"reason", "--max-connections " + std::to_string(state_->config().max_connections) + " reached"}});
      refused_logged_ = true;
    }
  } else {
    refused_logged_ = false;
    std::make_shared<HttpSession>(std::move(socket), state_, ConnectionSlot(state_))->run();
  }
  do_accept();
}

}  // namespace fastthread::server
