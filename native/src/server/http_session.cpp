#include "server/http_session.hpp"

#include <cmath>
#include <cstdlib>
#include <type_traits>

#include "server/http_routes.hpp"
#include "server/json_log.hpp"
#include "server/random_id.hpp"
#include "server/websocket_session.hpp"

namespace fastthread::server {
namespace {

constexpr std::size_t kPieceBytes = 256 * 1024;

// Query parameters that are job options; numbers where JobOptions wants numbers.
std::optional<std::string> options_from_query(const Target& target, nlohmann::ordered_json& options) {
  static const char* reserved[] = {"wait", "priority", "sha256", "id"};
  for (const auto& [key, value] : target.query) {
    if (std::find(std::begin(reserved), std::end(reserved), key) != std::end(reserved)) continue;
    if (key == "max_errors" || key == "keep_errors" || key == "sniff_bytes" || key == "infer_rows") {
      char* end = nullptr;
      long long n = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0')
        return "option '" + key + "' must be a whole number, not '" + value + "'";
      options[key] = n;
    } else if (key == "nulls") {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      std::size_t start = 0;
      while (true) {
        auto comma = value.find(',', start);
        list.push_back(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      options[key] = list;
    } else {
      options[key] = value;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> header(const RequestHeader& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value().data(), it->value().size());
}

bool changes_state(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::delete_ ||
         method == http::verb::patch;
}

// Routes that name jobs need an identity; the page, /healthz and /metrics do not.
bool needs_identity(const std::string& path) {
  return path.rfind("/api/", 0) == 0;
}

}  // namespace

HttpSession::HttpSession(tcp::socket&& socket, std::shared_ptr<SharedState> state, ConnectionSlot slot)
    : stream_(std::move(socket)), state_(std::move(state)), slot_(std::move(slot)) {}

void HttpSession::run() {
  do_read_header();
}

void HttpSession::do_read_header() {
  header_.emplace();
  header_->header_limit(
      static_cast<std::uint32_t>(std::min<std::uint64_t>(state_->config().max_header_bytes, UINT32_MAX)));
  header_->body_limit(boost::none);  // uploads check their own limit; other bodies are refused
  body_.reset();
  job_key_.clear();
  wait_.reset();
  answered_ = false;
  identity_.reset();
  cors_origin_.clear();
  issued_client_id_.clear();
  stream_.expires_after(state_->config().http_timeout);
  http::async_read_header(stream_, buffer_, *header_,
                          [self = shared_from_this()](error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(error_code ec) {
  if (ec == http::error::header_limit) {
    request_ = {};
    request_.keep_alive(false);
    return send(error_response(request_, ErrorCode::header_too_large,
                               "the request header is over the limit of " +
                                   std::to_string(state_->config().max_header_bytes) +
                                   " bytes (--max-header-bytes)"));
  }
  if (ec) return fail(ec, "http read");
  request_ = header_->get();
  auto target = parse_target(request_.target());
  if (!target) {
    request_.keep_alive(false);
    return send(error_response(request_, ErrorCode::bad_request, "malformed request target"));
  }
  const bool upgrade = websocket::is_upgrade(request_);
  const auto method = request_.method();
  if (!check_browser(upgrade || changes_state(method) || method == http::verb::options)) return;
  if (method == http::verb::options) return answer_preflight();
  if (upgrade) {
    if (target->path != "/ws")
      return send(error_response(request_, ErrorCode::not_found, "WebSocket upgrades go to /ws"));
    if (state_->stopping()) return send(error_response(request_, ErrorCode::shutting_down, "the server is stopping"));
    std::string token(bearer_token(header(request_, http::field::authorization).value_or("")));
    std::make_shared<WebSocketSession>(stream_.release_socket(), state_, std::move(slot_), remote_address(),
                                       std::move(token))
        ->run(header_->release());
    return;
  }
  const bool ticketed = method == http::verb::get && target->query.count("ticket") &&
                        is_ticketed_download(*target);
  if (needs_identity(target->path) && !ticketed && !identify()) return;
  if ((method == http::verb::post && (target->path == "/api/jobs" || target->path == "/api/jobs/")) ||
      (method == http::verb::put && target->path.rfind("/api/jobs/", 0) == 0 && target->path.size() > 10)) {
    return start_upload(*target);
  }
  // No endpoint but the uploads reads a body: answer, then close rather than skip it.
  if (!header_->is_done()) request_.keep_alive(false);
  send(route(*state_, *target, request_, identity_ ? &*identity_ : nullptr));
}

std::string HttpSession::remote_address() {
  error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  return ec ? std::string("unknown") : endpoint.address().to_string();
}

bool HttpSession::check_browser(bool state_changing) {
  const auto origin = header(request_, http::field::origin);
  cors_origin_ = state_->access().cors_origin(origin);
  const auto host = header(request_, http::field::host);
  std::optional<Refusal> refusal;
  if (!host) {
    // HTTP/1.0 clients may leave Host out; they are not browsers.
    if (request_.version() >= 11) refusal = Refusal{ErrorCode::bad_request, "the request has no Host header"};
  } else {
    refusal = state_->access().check_browser(*host, origin, state_changing);
  }
  if (!refusal) return true;
  log_limited("request_refused", {{"address", remote_address()},
                                  {"method", std::string(request_.method_string())},
                                  {"target", std::string(request_.target())},
                                  {"origin", origin ? nlohmann::ordered_json(std::string(*origin)) : nullptr},
                                  {"reason", refusal->message}});
  cors_origin_.clear();
  request_.keep_alive(false);
  send(error_response(request_, refusal->code, refusal->message));
  return false;
}

void HttpSession::answer_preflight() {
  if (cors_origin_.empty()) {
    request_.keep_alive(false);
    return send(error_response(request_, ErrorCode::forbidden,
                               "no origin of this request may use this server across origins (--allow-origin)"));
  }
  StringResponse res{http::status::no_content, request_.version()};
  res.set(http::field::server, "fastthread/" FASTTHREAD_VERSION);
  res.set(http::field::access_control_allow_methods, "GET, HEAD, POST, PUT, DELETE");
  res.set(http::field::access_control_allow_headers, "Authorization, Content-Type, X-Client-Id");
  res.set(http::field::access_control_max_age, "600");
  res.keep_alive(request_.keep_alive());
  res.prepare_payload();
  send(std::move(res));
}

bool HttpSession::is_ticketed_download(const Target& target) {
  const std::string& path = target.path;
  constexpr std::string_view suffix = "/output";
  if (path.rfind("/api/jobs/", 0) != 0 || path.size() <= 10 + suffix.size() ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  const std::string key = path.substr(10, path.size() - 10 - suffix.size());
  return state_->tickets().valid(target.query.at("ticket"), key);
}

// Who is asking: the bearer token's principal (or, without tokens, the client id), with a
// readable 401 or 400 when that cannot be told.
bool HttpSession::identify() {
  auto& access = state_->access();
  const auto presented = header(request_, http::field::authorization);
  auto principal = access.principal_of(bearer_token(presented.value_or("")));
  if (auto* refusal = std::get_if<Refusal>(&principal)) {
    log_limited("request_refused", {{"address", remote_address()},
                                    {"target", std::string(request_.target())},
                                    {"reason", refusal->message}});
    request_.keep_alive(false);
    auto res = error_response(request_, refusal->code, refusal->message);
    res.set(http::field::www_authenticate, presented ? "Bearer realm=\"fastthread\", error=\"invalid_token\""
                                                     : "Bearer realm=\"fastthread\"");
    send(std::move(res));
    return false;
  }
  const auto asked = request_.find("X-Client-Id");
  std::string client_id;
  if (access.tokens_required()) {
    client_id = asked != request_.end() && protocol::is_valid_job_id(asked->value()) ? std::string(asked->value())
                                                                                     : "http";
  } else if (asked != request_.end()) {
    if (!is_random_id(asked->value(), "c-")) {
      request_.keep_alive(false);
      send(error_response(request_, ErrorCode::bad_request,
                          "X-Client-Id must be an id this server made ('c-' and 32 hex digits, from an "
                          "earlier answer's X-Client-Id); leave it out to get one"));
      return false;
    }
    client_id = std::string(asked->value());
  } else {
    client_id = issued_client_id_ = random_id("c-");
  }
  identity_ = access.identity(std::get<std::string>(principal), client_id, remote_address());
  return true;
}

void HttpSession::start_upload(const Target& target) {
  auto& config = state_->config();
  StartRequest start;
  start.owner = *identity_;
  start.via_http = true;
  start.id = target.query.count("id") ? target.query.at("id") : random_id("h-");
  start.name = request_.method() == http::verb::put
                   ? target.path.substr(10)
                   : (target.query.count("name") ? target.query.at("name") : "upload");
  if (start.name.find('/') != std::string::npos) start.name = start.name.substr(start.name.rfind('/') + 1);
  if (auto length = header_->content_length()) start.size = *length;
  if (target.query.count("sha256")) start.sha256 = target.query.at("sha256");
  auto refuse = [&](ErrorCode code, const std::string& message) {
    // The body is not read: the connection cannot carry another request.
    request_.keep_alive(false);
    send(error_response(request_, code, message));
  };
  if (auto problem = options_from_query(target, start.options)) return refuse(ErrorCode::bad_request, *problem);
  if (target.query.count("priority")) {
    char* end = nullptr;
    long p = std::strtol(target.query.at("priority").c_str(), &end, 10);
    if (*end != '\0' || p < -100 || p > 100)
      return refuse(ErrorCode::bad_request, "priority must be a whole number from -100 to 100");
    start.priority = static_cast<int>(p);
  }
  if (target.query.count("wait")) {
    char* end = nullptr;
    double seconds = std::strtod(target.query.at("wait").c_str(), &end);
    if (*end != '\0' || !(seconds >= 0)) return refuse(ErrorCode::bad_request, "wait must be a number of seconds");
    wait_ = std::min(
        config.max_wait,
        std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(std::min(seconds, 1e9) * 1000))));
  }
  auto result = state_->jobs().start(std::move(start));
  if (auto* refusal = std::get_if<Refusal>(&result)) return refuse(refusal->code, refusal->message);
  ServerJob* job = std::get<ServerJob*>(result);
  job_key_ = job->key;
  if (is_final(job->phase)) {
    // Answered from the cache: the body is not needed.
    request_.keep_alive(false);
    return answer_job(http::status::ok);
  }
  if (header_->is_done()) {
    // An empty body: nothing to read.
    state_->jobs().end_upload(*job);
    return upload_done();
  }
  body_.emplace(std::move(*header_));
  body_->body_limit(boost::none);
  piece_.resize(kPieceBytes);
  if (http::token_list(request_[http::field::expect]).exists("100-continue")) {
    auto res =
        std::make_shared<http::response<http::empty_body>>(http::status::continue_, request_.version());
    response_ = res;
    stream_.expires_after(config.http_timeout);
    return http::async_write(
        stream_, *res, [self = shared_from_this()](error_code ec, std::size_t) { self->after_continue(ec); });
  }
  read_piece();
}

void HttpSession::after_continue(error_code ec) {
  if (ec) {
    if (auto* job = state_->jobs().find_by_key(job_key_))
      state_->jobs().abandon_upload(*job, "the connection broke");
    return fail(ec, "http write");
  }
  read_piece();
}

void HttpSession::read_piece() {
  auto& body = body_->get().body();
  body.data = piece_.data();
  body.size = piece_.size();
  body.more = true;
  stream_.expires_after(state_->config().http_timeout);
  http::async_read_some(stream_, buffer_, *body_,
                        [self = shared_from_this()](error_code ec, std::size_t) { self->on_piece(ec); });
}

void HttpSession::on_piece(error_code ec) {
  if (ec == http::error::need_buffer) ec = {};  // the piece is full
  ServerJob* job = state_->jobs().find_by_key(job_key_);
  if (ec) {
    if (job)
      state_->jobs().abandon_upload(*job, ec == beast::error::timeout ? "no bytes came for the --http-timeout"
                                                                      : "the connection broke");
    return fail(ec, "http upload");
  }
  if (!job) {
    request_.keep_alive(false);
    return send(error_response(request_, ErrorCode::not_found, "the job was deleted during its upload"));
  }
  const std::size_t got = piece_.size() - body_->get().body().size;
  if (got > 0) state_->jobs().upload(*job, std::string_view(piece_.data(), got));
  if (is_final(job->phase)) {
    // It failed during the upload (over the size limit, cancelled, ...): stop reading.
    request_.keep_alive(false);
    return answer_job(http::status::ok);
  }
  if (!body_->is_done()) return read_piece();
  state_->jobs().end_upload(*job);
  upload_done();
}

void HttpSession::upload_done() {
  ServerJob* job = state_->jobs().find_by_key(job_key_);
  if (!wait_ || !job || is_final(job->phase)) return answer_job(http::status::accepted);
  wait_timer_ = std::make_unique<net::steady_timer>(stream_.get_executor(), *wait_);
  wait_timer_->async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->answer_wait(true);
  });
  state_->jobs().when_ended(*job, [self = shared_from_this()] { self->answer_wait(false); });
}

void HttpSession::answer_wait(bool timed_out) {
  if (answered_) return;
  answered_ = true;
  if (wait_timer_) wait_timer_->cancel();
  ServerJob* job = state_->jobs().find_by_key(job_key_);
  if (timed_out && job) {
    auto doc = job_document(*job);
    doc["error"] = {{"code", "timeout"},
                    {"message", "the job did not end within the wait of " +
                                    std::to_string(static_cast<double>(wait_->count()) / 1000.0) +
                                    " s; it goes on: GET " + doc["url"].get<std::string>()}};
    return send(json_response(request_, http::status::gateway_timeout, doc));
  }
  answer_job(http::status::ok);
}

// The job as it stands; a failed job answers with the status its error code calls for.
void HttpSession::answer_job(http::status status) {
  answered_ = true;
  ServerJob* job = state_->jobs().find_by_key(job_key_);
  if (!job) return send(error_response(request_, ErrorCode::not_found, "the job is gone"));
  if (job->phase == JobPhase::failed && job->error) status = status_for(job->error->code);
  if (job->phase == JobPhase::cancelled) status = http::status::conflict;
  send(json_response(request_, status, job_document(*job)));
}

template <class Body>
void HttpSession::send(http::response<Body>&& response) {
  if constexpr (!std::is_same_v<Body, http::empty_body>) {
    // HEAD: the headers GET would send, Content-Length included, and never the body, which
    // a kept-alive client would read as the start of the next response.
    if (request_.method() == http::verb::head) {
      response.prepare_payload();
      return send(http::response<http::empty_body>(std::move(response.base())));
    }
  }
  if (!cors_origin_.empty()) {
    response.set(http::field::access_control_allow_origin, cors_origin_);
    response.set(http::field::vary, "Origin");
    response.set(http::field::access_control_expose_headers, "Content-Disposition, X-Client-Id");
  }
  if (!issued_client_id_.empty()) response.set("X-Client-Id", issued_client_id_);
  auto sp = std::make_shared<http::response<Body>>(std::move(response));
  response_ = sp;
  stream_.expires_after(state_->config().http_timeout);
  http::async_write(stream_, *sp, [self = shared_from_this(), sp](error_code ec, std::size_t) {
    self->on_write(ec, sp->need_eof());
  });
}

void HttpSession::send(Response&& response) {
  std::visit([this](auto&& r) { send(std::move(r)); }, std::move(response));
}

void HttpSession::on_write(error_code ec, bool close) {
  if (ec) return fail(ec, "http write");
  if (close) {
    error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    return;
  }
  response_.reset();
  do_read_header();
}

}  // namespace fastthread::server
