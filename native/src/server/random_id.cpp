#include "server/random_id.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>

namespace fastthread::server {

std::string random_hex(std::size_t bytes) {
  static const char* digits = "0123456789abcdef";
  std::string raw(bytes, '\0');
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(raw.data() + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // Without the generator no name is safe to hand out; a weaker one would be worse.
      std::perror("fastthread: getrandom");
      std::abort();
    }
    got += static_cast<std::size_t>(n);
  }
  std::string hex;
  hex.reserve(bytes * 2);
  for (unsigned char c : raw) {
    hex += digits[c >> 4];
    hex += digits[c & 15];
  }
  return hex;
}

bool is_random_id(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 32 || id.substr(0, prefix.size()) != prefix) return false;
  for (char c : id.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace fastthread::server
