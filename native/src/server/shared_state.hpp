// What every session shares: the configuration, the connected clients, the jobs, the
// worker pool, and the coalesced `pool` broadcast. Lives on the one io_context thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "server/access.hpp"
#include "server/client_table.hpp"
#include "server/download_tickets.hpp"
#include "server/config.hpp"
#include "server/connection_limits.hpp"
#include "server/job_registry.hpp"
#include "server/scheduler.hpp"

namespace fastthread::server {

class SharedState {
 public:
  SharedState(boost::asio::io_context& io, ServerConfig config, Scheduler& scheduler);

  const ServerConfig& config() const { return config_; }
  Access& access() { return access_; }
  DownloadTickets& tickets() { return tickets_; }
  ClientTable& clients() { return clients_; }
  JobRegistry& jobs() { return jobs_; }
  Scheduler& scheduler() { return scheduler_; }
  boost::asio::io_context& io() { return io_; }

  // Every open HTTP or WebSocket connection counts against --max-connections and
  // --max-connections-per-address.
  ConnectionLimits& connections() { return connections_; }
  const ConnectionLimits& connections() const { return connections_; }

  // A WebSocket client said hello: answer, then its jobs' states, then the pool.
  void hello(ClientConnection& connection, const Identity& identity);
  void leave(ClientConnection& connection, const Identity& identity);

  // SIGHUP: the token file again, and the end of removed principals' connections.
  void reload_tokens();

  // The pool changed: every connection hears of it, at most four times a second.
  void pool_changed();
  nlohmann::ordered_json pool_message() const;
  nlohmann::ordered_json server_description() const;

  // No new jobs from now on (SIGTERM): the jobs say shutting_down to new starts.
  void set_draining() { jobs_.set_draining(); }
  // Once the server is going away, sessions that end no longer touch jobs or clients.
  void set_stopping() { stopping_ = true; }
  bool stopping() const { return stopping_; }

 private:
  void schedule_pool(Clock::time_point when);
  void send_pool();

  boost::asio::io_context& io_;
  ServerConfig config_;
  Access access_;
  DownloadTickets tickets_;
  Scheduler& scheduler_;
  ClientTable clients_;
  JobRegistry jobs_;
  boost::asio::steady_timer pool_timer_;
  bool pool_timer_armed_ = false;
  std::uint64_t pool_generation_ = 0;
  Clock::time_point pool_sent_{};
  ConnectionLimits connections_;
  bool stopping_ = false;
};

}  // namespace fastthread::server
