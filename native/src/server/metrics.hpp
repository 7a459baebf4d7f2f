// GET /metrics: the server's state in the Prometheus text format (version 0.0.4).
#pragma once

#include <string>

#include "server/shared_state.hpp"

namespace fastthread::server {

std::string render_metrics(SharedState& state);

}  // namespace fastthread::server
