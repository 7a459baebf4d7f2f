// Accepts connections and hands each to an HttpSession (which may become a WebSocket).
#pragma once

#include <memory>

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

  net::io_context& io_;
  tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
  bool refused_logged_ = false;
};

}  // namespace fastthread::server
