#include "server/refused_connection.hpp"

#include "server/http_responses.hpp"

namespace fastthread::server {
namespace {

// The whole life of a refused connection: its header, the answer, and the rest of what
// the client sends (read and dropped, so that closing does not reset the answer away).
constexpr auto kRefusalTime = std::chrono::seconds(2);

}  // namespace

void RefusedConnection::answer(tcp::socket&& socket, const std::shared_ptr<SharedState>& state,
                               std::string message) {
  if (!state->connections().begin_answer()) return;  // the socket closes here
  std::shared_ptr<RefusedConnection>(new RefusedConnection(std::move(socket), state, std::move(message)))
      ->run();
}

RefusedConnection::RefusedConnection(tcp::socket&& socket, std::shared_ptr<SharedState> state,
                                     std::string message)
    : stream_(std::move(socket)), state_(std::move(state)), message_(std::move(message)) {}

RefusedConnection::~RefusedConnection() {
  state_->connections().end_answer();
}

void RefusedConnection::run() {
  parser_.header_limit(
      static_cast<std::uint32_t>(std::min<std::uint64_t>(state_->config().max_header_bytes, UINT32_MAX)));
  stream_.expires_after(kRefusalTime);
  http::async_read_header(stream_, buffer_, parser_,
                          [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
}

void RefusedConnection::on_header(error_code ec) {
  if (ec) return;  // nothing worth answering came in time
  RequestHeader request = parser_.get();
  request.keep_alive(false);
  auto res = std::make_shared<StringResponse>(error_response(request, ErrorCode::busy, message_));
  res->set(http::field::retry_after, "1");
  response_ = res;
  http::async_write(stream_, *res, [self = shared_from_this()](error_code write_ec, std::size_t) {
    if (write_ec) return;
    error_code ignored;
    self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->drain();
  });
}

void RefusedConnection::drain() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16 * 1024),
                          [self = shared_from_this()](error_code ec, std::size_t) {
                            if (!ec) self->drain();
                          });
}

}  // namespace fastthread::server
