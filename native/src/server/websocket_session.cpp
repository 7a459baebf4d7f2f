#include "server/websocket_session.hpp"

#include <variant>

#include "server/json_log.hpp"

namespace fastthread::server {
namespace {

// Messages are read in pieces of this size, so a message over the limit is noticed (and
// answered) before it is all in memory.
constexpr std::size_t kReadPiece = 64 * 1024;

// "10 s", "1.5 s".
std::string seconds_text(std::chrono::milliseconds ms) {
  std::string s = std::to_string(static_cast<double>(ms.count()) / 1000.0);
  s.erase(s.find_last_not_of('0') + 1);
  if (s.back() == '.') s.pop_back();
  return s + " s";
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

// A client that cannot give a good token in this many hellos is not going to.
constexpr unsigned kMaxRefusedHellos = 3;

WebSocketSession::WebSocketSession(tcp::socket&& socket, std::shared_ptr<SharedState> state,
                                   ConnectionSlot slot, std::string address, std::string token)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      slot_(std::move(slot)),
      hello_timer_(ws_.get_executor()),
      address_(std::move(address)),
      upgrade_token_(std::move(token)) {}

WebSocketSession::~WebSocketSession() {
  if (identity_) state_->leave(*this, *identity_);
}

void WebSocketSession::run(http::request<http::empty_body> request) {
  beast::get_lowest_layer(ws_).expires_never();
  const auto& config = state_->config();
  auto timeout = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeout.idle_timeout = websocket::stream_base::none();
  if (config.ws_idle_timeout.count() > 0) {
    // Beast pings after half of it, and closes when nothing (not even a pong) came by its end.
    timeout.idle_timeout = config.ws_idle_timeout;
    timeout.keep_alive_pings = true;
  }
  ws_.set_option(timeout);
  // The limits are checked piece by piece in on_read (so the client hears why); no limit
  // of Beast's own would let it answer.
  ws_.read_message_max(0);
  ws_.async_accept(request, [self = shared_from_this()](error_code ec) { self->on_accept(ec); });
}

void WebSocketSession::on_accept(error_code ec) {
  if (ec) return fail(ec, "websocket accept");
  if (const auto wait = state_->config().hello_timeout; wait.count() > 0) {
    hello_timer_.expires_after(wait);
    // A weak pointer: a session that ended does not wait for its timer to go.
    hello_timer_.async_wait([weak = weak_from_this()](error_code timer_ec) {
      if (timer_ec) return;
      if (auto self = weak.lock()) self->on_hello_timeout();
    });
  }
  do_read();
}

void WebSocketSession::on_hello_timeout() {
  if (identity_ || closing_ || dropped_) return;
  const std::string limit = seconds_text(state_->config().hello_timeout);
  state_->clients().send(*this, protocol::error("", ErrorCode::timeout,
                                                "no hello within " + limit +
                                                    " (--hello-timeout); the connection closes"));
  close_after_queue(websocket::close_code::policy_error, "no hello within " + limit + " (--hello-timeout)");
}

void WebSocketSession::do_read() {
  ws_.async_read_some(buffer_, kReadPiece,
                      [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
}

void WebSocketSession::on_read(error_code ec, std::size_t) {
  if (ec) return fail(ec, "websocket read");
  const auto& config = state_->config();
  const bool text = ws_.got_text();
  const std::uint64_t limit = text ? config.max_text_bytes : config.max_frame_bytes;
  if (buffer_.size() > limit) {
    buffer_.consume(buffer_.size());
    refuse("", std::string(text ? "a text message" : "a binary frame") + " of more than " +
                   std::to_string(limit) + " bytes is over the limit (" +
                   (text ? "--max-text-bytes" : "--max-frame-bytes") + "); the connection closes");
    return close_after_queue(websocket::close_code::too_big, "message over the limit");
  }
  if (!ws_.is_message_done()) return do_read();
  auto data = buffer_.cdata();
  std::string_view message(static_cast<const char*>(data.data()), data.size());
  if (text) {
    on_text(std::string(message));
  } else {
    // The bytes are on disk when this returns, so at most one frame per connection is in memory.
    on_binary(message);
  }
  buffer_.consume(buffer_.size());
  if (!closing_) do_read();
}

void WebSocketSession::refuse(const std::string& id, const std::string& message) {
  state_->clients().send(*this, protocol::error(id, ErrorCode::bad_request, message));
}

void WebSocketSession::on_text(const std::string& text) {
  auto parsed = protocol::parse_client_message(text);
  if (auto* bad = std::get_if<protocol::BadRequest>(&parsed)) return refuse(bad->id, bad->message);
  auto& message = std::get<protocol::ClientMessage>(parsed);
  if (!std::holds_alternative<protocol::Hello>(message) && !identity_) {
    return refuse("", "say hello first: {\"op\":\"hello\",\"v\":1,\"client_id\":\"\"}");
  }
  auto& jobs = state_->jobs();
  std::visit(
      Overloaded{
          [&](protocol::Hello& hello) { on_hello(hello); },
          [&](protocol::Start& start) {
            auto result = jobs.start(StartRequest{*identity_, start.id, start.name, start.size, start.sha256,
                                                  start.options, start.priority, false});
            if (auto* refusal = std::get_if<Refusal>(&result)) {
              state_->clients().send(*this, protocol::error(start.id, refusal->code, refusal->message));
            }
          },
          [&](protocol::Cancel& cancel) {
            ServerJob* job = jobs.find(*identity_, cancel.id);
            if (!job) {
              state_->clients().send(*this, protocol::error(cancel.id, ErrorCode::not_found,
                                                            "no job '" + cancel.id + "' of this client"));
            } else if (!jobs.cancel(*job)) {
              // Already over: say how it ended.
              state_->clients().send(*this, jobs.state_message(*job));
            }
          },
      },
      message);
}

void WebSocketSession::on_hello(const protocol::Hello& hello) {
  if (identity_) return refuse("", "this connection already said hello");
  auto& access = state_->access();
  auto principal = access.principal_of(hello.token.empty() ? upgrade_token_ : hello.token);
  if (auto* refusal = std::get_if<Refusal>(&principal)) {
    log_limited("request_refused", {{"address", address_}, {"target", "/ws"}, {"reason", refusal->message}});
    state_->clients().send(*this, protocol::error("", refusal->code, refusal->message));
    if (++refused_hellos_ >= kMaxRefusedHellos)
      close_after_queue(websocket::close_code::policy_error, "no valid token");
    return;
  }
  const std::string client_id = access.client_id_for(hello.client_id);
  identity_ = access.identity(std::get<std::string>(principal), client_id, address_);
  hello_timer_.cancel();
  const std::uint64_t before = waiting_bytes_;
  in_hello_ = true;
  state_->hello(*this, *identity_);
  in_hello_ = false;
  hello_allowance_ += waiting_bytes_ - before;
}

void WebSocketSession::drop(const std::string& reason) {
  state_->clients().send(*this, protocol::error("", ErrorCode::unauthorized, reason));
  close_after_queue(websocket::close_code::policy_error, "access withdrawn");
}

void WebSocketSession::on_binary(std::string_view frame) {
  if (!identity_) return refuse("", "say hello first, then start a job, before sending its bytes");
  const std::size_t id_size = frame.empty() ? 0 : static_cast<unsigned char>(frame[0]);
  if (id_size == 0 || frame.size() < 1 + id_size) {
    return refuse("", "a binary frame starts with one byte giving the job id's length, then the id");
  }
  const std::string id(frame.substr(1, id_size));
  ServerJob* job = state_->jobs().find(*identity_, id);
  if (!job)
    return refuse(protocol::is_valid_job_id(id) ? id : "",
                  "a binary frame for job '" + id + "', which this client has not started");
  if (auto refusal = state_->jobs().upload(*job, frame.substr(1 + id_size))) refuse(id, refusal->message);
}

void WebSocketSession::send(std::shared_ptr<const std::string> text) {
  if (close_started_ || dropped_) return;
  // What waits behind the write under way is capped, the newest message aside: one
  // message may be bigger than the cap (a summary of many columns), many may not.
  if (!in_hello_ && waiting_bytes_ > state_->config().max_send_queue_bytes + hello_allowance_) return drop_unread();
  // Always add to the queue; write now only when no write is under way.
  queue_.push_back(std::move(text));
  if (queue_.size() == 1) return write_front();
  waiting_bytes_ += queue_.back()->size();
}

void WebSocketSession::write_front() {
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  [self = shared_from_this()](error_code ec, std::size_t n) { self->on_write(ec, n); });
}

void WebSocketSession::on_write(error_code ec, std::size_t) {
  if (ec) return fail(ec, "websocket write");
  queue_.erase(queue_.begin());
  if (!queue_.empty()) {
    const std::uint64_t next = queue_.front()->size();
    waiting_bytes_ -= next;
    hello_allowance_ -= std::min(hello_allowance_, next);
    write_front();
  } else if (closing_) {
    close_after_queue(static_cast<websocket::close_code>(close_reason_.code),
                      std::string(close_reason_.reason.data(), close_reason_.reason.size()));
  }
}

void WebSocketSession::drop_unread() {
  const auto& config = state_->config();
  nlohmann::ordered_json fields = {
      {"reason", "the client does not read what it is sent: over --max-send-queue-bytes " +
                     std::to_string(config.max_send_queue_bytes)},
      {"address", address_},
      {"queued_bytes", waiting_bytes_ + queue_.front()->size()}};
  if (identity_ && state_->access().tokens_required()) fields["principal"] = identity_->principal;
  log_limited("connection_dropped", std::move(fields));
  dropped_ = true;
  // The front one is being written until the close cancels that write; the rest go now.
  queue_.resize(1);
  waiting_bytes_ = 0;
  hello_timer_.cancel();
  error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void WebSocketSession::close_after_queue(websocket::close_code code, std::string reason) {
  if (!closing_) close_reason_ = websocket::close_reason(code, reason);
  closing_ = true;
  if (!queue_.empty() || close_started_) return;  // on_write comes back here
  close_started_ = true;
  ws_.async_close(close_reason_,
                  [self = shared_from_this()](error_code ec) {
                    if (ec) fail(ec, "websocket close");
                  });
}

}  // namespace fastthread::server
