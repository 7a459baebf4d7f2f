#include "server/json_log.hpp"

#include <unistd.h>

#include <chrono>
#include <utility>
#include <map>
#include <string>

namespace fastthread::server {

void log_event(std::string_view event, nlohmann::ordered_json fields) {
  using namespace std::chrono;
  nlohmann::ordered_json line;
  line["ts"] = duration<double>(system_clock::now().time_since_epoch()).count();
  line["event"] = event;
  for (auto& [key, value] : fields.items()) line[key] = value;
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  // One write per line, so lines of concurrent writers (workers share stderr) never interleave.
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t n = ::write(STDERR_FILENO, rest.data(), rest.size());
    if (n <= 0) break;
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

void log_limited(std::string_view event, nlohmann::ordered_json fields) {
  struct Window {
    std::chrono::steady_clock::time_point start{};
    unsigned lines = 0;
    std::uint64_t left_out = 0;
  };
  static std::map<std::string, Window, std::less<>> windows;
  constexpr unsigned kLinesPerSecond = 10;
  auto& w = windows[std::string(event)];
  const auto now = std::chrono::steady_clock::now();
  if (now - w.start >= std::chrono::seconds(1)) {
    w.start = now;
    w.lines = 0;
  }
  if (w.lines >= kLinesPerSecond) {
    ++w.left_out;
    return;
  }
  ++w.lines;
  if (w.left_out > 0) fields["left_out"] = std::exchange(w.left_out, 0);
  log_event(event, std::move(fields));
}

}  // namespace fastthread::server
