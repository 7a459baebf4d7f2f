// One HTTP connection: reads each request's header first, then either upgrades to a
// WebSocket, streams an upload's body to its spool file piece by piece, or answers.
#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/http_responses.hpp"
#include "server/http_target.hpp"
#include "server/net.hpp"

namespace fastthread::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnectionSlot slot);
  void run();

 private:
  void do_read_header();
  void on_header(error_code ec);
  // Host and Origin; false after answering a refusal.
  bool check_browser(bool state_changing);
  void answer_preflight();
  bool is_ticketed_download(const Target& target);
  // Sets identity_; false after answering 401 or 400.
  bool identify();
  std::string remote_address();
  void start_upload(const Target& target);
  void after_continue(error_code ec);
  void read_piece();
  void on_piece(error_code ec);
  void upload_done();
  void answer_wait(bool timed_out);
  void answer_job(http::status status);

  template <class Body>
  void send(http::response<Body>&& response);
  void send(Response&& response);
  void on_write(error_code ec, bool close);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::optional<http::request_parser<http::empty_body>> header_;
  std::optional<http::request_parser<http::buffer_body>> body_;
  RequestHeader request_;           // the current request's header
  std::shared_ptr<void> response_;  // the response being written
  std::vector<char> piece_;         // one piece of an upload body
  std::string job_key_;             // the upload's job
  std::optional<std::chrono::milliseconds> wait_;
  std::unique_ptr<net::steady_timer> wait_timer_;
  bool answered_ = false;
  std::optional<Identity> identity_;  // of the current request, when its route needs one
  std::string cors_origin_;           // an allowed foreign origin to answer to
  std::string issued_client_id_;      // a client id made for this request (no tokens)
};

}  // namespace fastthread::server
