// A request target split into its percent-decoded path and query parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fastthread::server {

struct Target {
  std::string path;  // decoded; may contain anything but NUL
  std::map<std::string, std::string> query;
};

// nullopt for a malformed target (not starting with '/', a bad %-escape, an encoded NUL).
std::optional<Target> parse_target(std::string_view target);

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace fastthread::server
