#include "server/http_responses.hpp"

namespace fastthread::server {

StringResponse text_response(const RequestHeader& request, http::status status, std::string body,
                             const char* content_type) {
  StringResponse res{status, request.version()};
  res.set(http::field::server, "fastthread/" FASTTHREAD_VERSION);
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(request.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

StringResponse json_response(const RequestHeader& request, http::status status, const nlohmann::ordered_json& body) {
  return text_response(request, status,
                       body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n",
                       "application/json");
}

StringResponse error_response(const RequestHeader& request, ErrorCode code, const std::string& message) {
  return json_response(request, status_for(code),
                       {{"error", {{"code", to_string(code)}, {"message", message}}}});
}

http::status status_for(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return http::status::bad_request;
    case ErrorCode::too_large: return http::status::payload_too_large;
    case ErrorCode::busy:
    case ErrorCode::shutting_down: return http::status::service_unavailable;
    case ErrorCode::rate_limited: return http::status::too_many_requests;
    case ErrorCode::not_found: return http::status::not_found;
    case ErrorCode::timeout: return http::status::gateway_timeout;
    case ErrorCode::parse_error:
    case ErrorCode::unsupported:
    case ErrorCode::corrupt_input: return http::status::unprocessable_entity;
    case ErrorCode::cancelled: return http::status::conflict;
    case ErrorCode::method_not_allowed: return http::status::method_not_allowed;
    case ErrorCode::forbidden: return http::status::forbidden;
    case ErrorCode::unauthorized: return http::status::unauthorized;
    case ErrorCode::header_too_large: return http::status::request_header_fields_too_large;
    default: return http::status::internal_server_error;
  }
}

}  // namespace fastthread::server
