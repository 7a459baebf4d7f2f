#include "server/listening_line.hpp"

#include <poll.h>
#include <unistd.h>

#include <charconv>

namespace fastthread::server {
namespace {
constexpr std::string_view kPrefix = "fastthread: listening on http://";
}

std::string listening_line(std::string_view host, unsigned port) {
  return std::string(kPrefix) + std::string(host) + ":" + std::to_string(port) + "\n";
}

std::optional<unsigned short> read_listening_port(int fd, std::chrono::milliseconds timeout, std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (text.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    char buffer[256];
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  const auto end = text.find('\n');
  if (text.rfind(kPrefix, 0) != 0 || end == std::string::npos) return std::nullopt;
  const auto colon = text.rfind(':', end);
  unsigned short port = 0;
  auto [ptr, ec] = std::from_chars(text.data() + colon + 1, text.data() + end, port);
  if (ec != std::errc() || ptr != text.data() + end) return std::nullopt;
  return port;
}

}  // namespace fastthread::server
