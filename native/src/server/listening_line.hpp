// The line `fastthread serve` prints on stdout once it accepts connections, and its reading
// by whoever started the process (the tests' and the benchmarks' harnesses).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fastthread::server {

// "fastthread: listening on http://HOST:PORT\n"
std::string listening_line(std::string_view host, unsigned port);

// Reads `fd` until its first line or until `timeout`; the port that line names, or
// nullopt when it is not a listening line. `text` gets what was read (for the error).
std::optional<unsigned short> read_listening_port(int fd, std::chrono::milliseconds timeout, std::string& text);

}  // namespace fastthread::server
