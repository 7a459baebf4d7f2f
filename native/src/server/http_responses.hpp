// Building HTTP responses: JSON bodies, errors with a protocol code, status per code.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "fastthread/error.hpp"
#include "server/net.hpp"

namespace fastthread::server {

using RequestHeader = http::request<http::empty_body>;
using StringResponse = http::response<http::string_body>;
using FileResponse = http::response<http::file_body>;
using Response = std::variant<StringResponse, FileResponse>;

StringResponse text_response(const RequestHeader& request, http::status status, std::string body,
                             const char* content_type = "text/plain; charset=utf-8");
StringResponse json_response(const RequestHeader& request, http::status status, const nlohmann::ordered_json& body);
// {"error": {"code": code, "message": message}} with the status the code calls for.
StringResponse error_response(const RequestHeader& request, ErrorCode code,
                              const std::string& message);

// too_large 413, busy 503, rate_limited 429, bad_request 400, not_found 404, ...
http::status status_for(ErrorCode code);

}  // namespace fastthread::server
