#include "server/json_log.hpp"

#include <unistd.h>

#include <chrono>
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

}  // namespace fastthread::server
