// A request target split into its percent-decoded path and query parameters.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fastthread::server {

struct Target {
  std::string path;  // decoded; UTF-8 text without NUL
  std::map<std::string, std::string> query;  // the same
};

// nullopt for a malformed target (not starting with '/', a bad %-escape, an encoded NUL,
// a path, key or value that decodes to bytes that are not UTF-8).
std::optional<Target> parse_target(std::string_view target);

// `text` with its %-escapes (and, if asked, '+' for space) decoded; nullopt as above.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

}  // namespace fastthread::server
