#include "server/listener.hpp"

#include <cerrno>

#include "server/http_session.hpp"
#include "server/json_log.hpp"
#include "server/refused_connection.hpp"

namespace fastthread::server {
namespace {

constexpr auto kFirstRetry = std::chrono::milliseconds(50);
constexpr auto kLongestRetry = std::chrono::milliseconds(1000);
// While accepting keeps failing, one log line per this long says how often it did.
constexpr auto kAcceptLogInterval = std::chrono::seconds(10);

// Errors that say the process or the kernel is out of something: retrying at once fails
// the same way.
bool out_of_resources(const error_code& ec) {
  if (ec.category() != boost::system::system_category()) return false;
  const int e = ec.value();
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

std::string peer_address(const tcp::socket& socket) {
  error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

}  // namespace

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
    : io_(io), acceptor_(io), state_(std::move(state)), retry_timer_(io), log_timer_(io) {
  if (acceptor_.open(endpoint.protocol(), ec)) return;
  if (acceptor_.set_option(net::socket_base::reuse_address(true), ec)) return;
  if (acceptor_.bind(endpoint, ec)) return;
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
}

void Listener::run() {
  do_accept();
}

void Listener::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  log_timer_.cancel();
  error_code ignored;
  acceptor_.close(ignored);
}

void Listener::do_accept() {
  if (stopped_) return;
  acceptor_.async_accept(io_, [self = shared_from_this()](error_code ec, tcp::socket socket) {
    self->on_accept(ec, std::move(socket));
  });
}

void Listener::on_accept(error_code ec, tcp::socket socket) {
  if (stopped_ || ec == net::error::operation_aborted) return;
  if (ec && out_of_resources(ec)) return back_off(ec);
  if (ec) {
    fail(ec, "accept");
  } else {
    retry_delay_ = std::chrono::milliseconds(0);
    if (!state_->stopping()) admit(std::move(socket));
  }
  do_accept();
}

void Listener::admit(tcp::socket socket) {
  std::string address = peer_address(socket);
  const auto& config = state_->config();
  std::string reason;
  switch (state_->connections().admit(address)) {
    case ConnectionLimits::Verdict::admitted:
      std::make_shared<HttpSession>(std::move(socket), state_, ConnectionSlot(state_, address))->run();
      return;
    case ConnectionLimits::Verdict::server_full:
      reason = "the server has " + std::to_string(config.max_connections) +
               " connections open, the most that --max-connections " + std::to_string(config.max_connections) +
               " allows; try again later";
      break;
    case ConnectionLimits::Verdict::address_full:
      reason = "this address has " + std::to_string(config.max_connections_per_address) +
               " connections open, the most that --max-connections-per-address " +
               std::to_string(config.max_connections_per_address) + " allows; close one or try again later";
      break;
  }
  log_limited("connection_refused", {{"address", address}, {"reason", reason}});
  RefusedConnection::answer(std::move(socket), state_, std::move(reason));
}

void Listener::back_off(error_code ec) {
  retry_delay_ = retry_delay_.count() == 0 ? kFirstRetry : std::min(retry_delay_ * 2, kLongestRetry);
  ++accept_errors_;
  last_error_ = ec.message();
  if (!log_timer_armed_) report_accept_errors();
  retry_timer_.expires_after(retry_delay_);
  retry_timer_.async_wait([self = shared_from_this()](error_code wait_ec) {
    if (!wait_ec) self->do_accept();
  });
}

// The first failure is told at once, later ones once per interval. The interval is not
// reset by an accept that works, so failures and successes that alternate (a flood at the
// limit) make one line per interval too.
void Listener::report_accept_errors() {
  log_event("accept_failed", {{"reason", last_error_},
                              {"errors", accept_errors_},
                              {"retry_ms", retry_delay_.count()},
                              {"open_connections", state_->connections().open()}});
  accept_errors_ = 0;
  log_timer_armed_ = true;
  log_timer_.expires_after(kAcceptLogInterval);
  log_timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (ec) return;
    self->log_timer_armed_ = false;
    if (self->accept_errors_ > 0) self->report_accept_errors();
  });
}

}  // namespace fastthread::server
