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

StringResponse error_response(const RequestHeader& request, const std::string& code,
                              const std::string& message) {
  return json_response(request, status_for(code), {{"error", {{"code", code}, {"message", message}}}});
}

http::status status_for(const std::string& code) {
  if (code == "bad_request") return http::status::bad_request;
  if (code == "too_large") return http::status::payload_too_large;
  if (code == "busy" || code == "shutting_down") return http::status::service_unavailable;
  if (code == "rate_limited") return http::status::too_many_requests;
  if (code == "not_found") return http::status::not_found;
  if (code == "timeout") return http::status::gateway_timeout;
  if (code == "parse_error" || code == "unsupported") return http::status::unprocessable_entity;
  if (code == "cancelled") return http::status::conflict;
  if (code == "method_not_allowed") return http::status::method_not_allowed;
  if (code == "forbidden") return http::status::forbidden;
  if (code == "header_too_large") return http::status::request_header_fields_too_large;
  return http::status::internal_server_error;
}

}  // namespace fastthread::server
