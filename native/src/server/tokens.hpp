// Who may use the server: a file of principals, each with the SHA-256 of its bearer token
// (the tokens themselves are never stored), one per line:
//
//   # comments and blank lines are skipped
//   alice sha256:3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea
//
// `fastthread token add NAME` makes a token, prints it once and appends its line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fastthread::server {

// A principal's name: 1 to 64 letters, digits, '.', '_', '-'.
bool is_valid_principal(std::string_view name);

// 64 lowercase hex digits.
std::string sha256_hex(std::string_view bytes);

class TokenTable {
 public:
  // Reads `path`; nullopt after setting `error` to a reason that names the line.
  static std::optional<TokenTable> load(const std::string& path, std::string& error);

  // The principal of a presented token; nullopt for an unknown one.
  std::optional<std::string> principal(std::string_view token) const;
  std::vector<std::string> names() const;
  bool has(const std::string& principal) const { return names_.count(principal) != 0; }
  std::size_t size() const { return by_hash_.size(); }

 private:
  std::unordered_map<std::string, std::string> by_hash_;  // sha256 hex -> principal
  std::set<std::string> names_;
};

// `fastthread token add|list|remove ...`; returns the exit code.
int token_command(int argc, char** argv);

}  // namespace fastthread::server
