// Accepts connections and hands each to an HttpSession (which may become a WebSocket), or,
// over a connection limit, to a RefusedConnection. When the process runs out of
// descriptors (or the kernel of memory) it waits before accepting again, rather than
// spinning on the listening socket that stays readable.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "server/net.hpp"

namespace fastthread::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens; `ec` says why not.
  Listener(net::io_context& io, tcp::endpoint endpoint, std::shared_ptr<SharedState> state, error_code& ec);

  tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();
  void stop();

 private:
  void do_accept();
  void on_accept(error_code ec, tcp::socket socket);
  void admit(tcp::socket socket);
  // EMFILE and the like: accept again after a wait that doubles while they last.
  void back_off(error_code ec);
  void report_accept_errors();

  net::io_context& io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
  net::steady_timer retry_timer_;
  std::chrono::milliseconds retry_delay_{0};  // 0: accepting normally
  net::steady_timer log_timer_;
  bool log_timer_armed_ = false;
  std::uint64_t accept_errors_ = 0;  // since the last log line
  std::string last_error_;
  bool stopped_ = false;
};

}  // namespace fastthread::server
