#include "server/tokens.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "fastthread/protocol.hpp"
#include "server/hex.hpp"
#include "server/random_id.hpp"

namespace fastthread::server {
namespace {

constexpr std::string_view kHashPrefix = "sha256:";
constexpr std::string_view kTokenPrefix = "ft_";

bool is_hex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

struct Line {
  std::string name, hash;  // both empty for a comment or a blank line
};

// One line of the file; nullopt when it is neither a comment nor "NAME sha256:HEX".
std::optional<Line> parse_line(std::string text) {
  if (!text.empty() && text.back() == '\r') text.pop_back();
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos || text[first] == '#') return Line{};
  std::istringstream in(text);
  std::string name, hash, extra;
  in >> name >> hash;
  if (in >> extra) return std::nullopt;
  if (!is_valid_principal(name) || hash.rfind(kHashPrefix, 0) != 0 || !is_hex64(hash.substr(kHashPrefix.size())))
    return std::nullopt;
  return Line{name, hash.substr(kHashPrefix.size())};
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* kTokenUsage =
    "Usage:\n"
    "  fastthread token add NAME --tokens FILE      make a token for NAME, print it once, and add\n"
    "                                               its hash to FILE (created with mode 0600)\n"
    "  fastthread token list --tokens FILE          the names in FILE\n"
    "  fastthread token remove NAME --tokens FILE   take NAME out of FILE\n"
    "\n"
    "FILE may also come from FASTTHREAD_TOKENS. A running server reads FILE again on SIGHUP;\n"
    "a removed name's open connections are closed then.\n";

int token_usage(const char* why) {
  if (why) std::fprintf(stderr, "fastthread token: %s\n\n", why);
  std::fputs(kTokenUsage, why ? stderr : stdout);
  return why ? 2 : 0;
}

// Rewrites `path` through a temporary file, so a reader never sees half of it.
bool write_file(const std::string& path, const std::string& text, std::string& error) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write " + temp;
    return false;
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      error = "cannot write " + temp;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot replace " + path;
    return false;
  }
  return true;
}

}  // namespace

// The same alphabet and length as a job id.
bool is_valid_principal(std::string_view name) {
  return protocol::is_valid_job_id(name);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr);
  return to_hex(digest, size);
}

std::optional<TokenTable> TokenTable::load(const std::string& path, std::string& error) {
  auto text = read_file(path);
  if (!text) {
    error = "cannot read the token file " + path;
    return std::nullopt;
  }
  TokenTable table;
  std::map<std::string, int> seen;
  std::istringstream in(*text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    auto line = parse_line(raw);
    const std::string where = path + " line " + std::to_string(number);
    if (!line) {
      error = where + ": expected 'NAME sha256:HEX' (made by 'fastthread token add NAME')";
      return std::nullopt;
    }
    if (line->name.empty()) continue;
    if (auto [it, fresh] = seen.emplace(line->name, number); !fresh) {
      error = where + ": '" + line->name + "' is already on line " + std::to_string(it->second);
      return std::nullopt;
    }
    table.by_hash_[line->hash] = line->name;
    table.names_.insert(line->name);
  }
  return table;
}

std::optional<std::string> TokenTable::principal(std::string_view token) const {
  if (token.empty()) return std::nullopt;
  auto it = by_hash_.find(sha256_hex(token));
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> TokenTable::names() const {
  std::vector<std::string> out;
  for (const auto& [hash, name] : by_hash_) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

int token_command(int argc, char** argv) {
  std::vector<std::string> args;
  std::string path = std::getenv("FASTTHREAD_TOKENS") ? std::getenv("FASTTHREAD_TOKENS") : "";
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return token_usage(nullptr);
    if (arg.rfind("--tokens=", 0) == 0) {
      path = arg.substr(9);
    } else if (arg == "--tokens") {
      if (i + 1 >= argc) return token_usage("--tokens needs a file");
      path = argv[++i];
    } else {
      args.push_back(arg);
    }
  }
  if (args.empty()) return token_usage("say add, list or remove");
  if (path.empty()) return token_usage("name the token file with --tokens FILE");
  const std::string& verb = args[0];
  if (verb == "list") {
    if (args.size() != 1) return token_usage("list takes no name");
    std::string error;
    auto table = TokenTable::load(path, error);
    if (!table) return std::fprintf(stderr, "fastthread token: %s\n", error.c_str()), 1;
    for (const auto& name : table->names()) std::printf("%s\n", name.c_str());
    return 0;
  }
  if (verb != "add" && verb != "remove") return token_usage(("unknown verb '" + verb + "'").c_str());
  if (args.size() != 2) return token_usage((verb + " takes one NAME").c_str());
  const std::string& name = args[1];
  if (!is_valid_principal(name)) return token_usage("NAME must be 1 to 64 letters, digits, '.', '_' or '-'");

  std::string text = read_file(path).value_or("");
  std::string kept;
  bool found = false;
  std::istringstream in(text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    auto line = parse_line(raw);
    if (!line) {
      std::fprintf(stderr, "fastthread token: %s line %d: expected 'NAME sha256:HEX'; fix it first\n",
                   path.c_str(), number);
      return 1;
    }
    if (line->name == name) {
      found = true;
      if (verb == "remove") continue;
    }
    kept += raw + "\n";
  }
  std::string error;
  if (verb == "remove") {
    if (!found) return std::fprintf(stderr, "fastthread token: no '%s' in %s\n", name.c_str(), path.c_str()), 1;
    if (!write_file(path, kept, error)) return std::fprintf(stderr, "fastthread token: %s\n", error.c_str()), 1;
    std::fprintf(stderr, "fastthread token: removed '%s' (a running server forgets it on SIGHUP)\n", name.c_str());
    return 0;
  }
  if (found) {
    std::fprintf(stderr, "fastthread token: '%s' is already in %s (remove it first to replace its token)\n",
                 name.c_str(), path.c_str());
    return 1;
  }
  if (kept.empty()) kept = "# fastthread tokens: NAME sha256:HEX, one per line (fastthread token add NAME)\n";
  const std::string token = std::string(kTokenPrefix) + random_hex(32);
  kept += name + " " + std::string(kHashPrefix) + sha256_hex(token) + "\n";
  if (!write_file(path, kept, error)) return std::fprintf(stderr, "fastthread token: %s\n", error.c_str()), 1;
  std::printf("%s\n", token.c_str());
  std::fprintf(stderr,
               "fastthread token: added '%s' to %s. The token above is shown only this once; a running\n"
               "server takes it on SIGHUP.\n",
               name.c_str(), path.c_str());
  return 0;
}

}  // namespace fastthread::server
