// The server's log: one JSON object per line on stderr (startup, each finished job,
// shutdown, and problems worth a person's attention).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace fastthread::server {

// Writes {"ts": <unix seconds>, "event": event, ...fields} as one line, unbuffered.
void log_event(std::string_view event, nlohmann::ordered_json fields = nlohmann::ordered_json::object());

// log_event for what a hostile client can cause at will (refusals): at most 10 lines a
// second per event; the next line that gets through says how many were left out.
void log_limited(std::string_view event, nlohmann::ordered_json fields);

}  // namespace fastthread::server
