// The server's log: one JSON object per line on stderr (startup, each finished job,
// shutdown, and problems worth a person's attention).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace fastthread::server {

// Writes {"ts": <unix seconds>, "event": event, ...fields} as one line, unbuffered.
void log_event(std::string_view event, nlohmann::ordered_json fields = nlohmann::ordered_json::object());

}  // namespace fastthread::server
