// Why a request was refused: a protocol error code and a message naming the limit or rule.
#pragma once

#include <string>

#include "fastthread/error.hpp"

namespace fastthread::server {

struct Refusal {
  ErrorCode code = ErrorCode::bad_request;
  std::string message;
};

}  // namespace fastthread::server
