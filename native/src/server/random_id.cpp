#include "server/random_id.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>

#include "server/hex.hpp"

namespace fastthread::server {

std::string random_hex(std::size_t bytes) {
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
  return to_hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

bool is_random_id(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 32 || id.substr(0, prefix.size()) != prefix) return false;
  for (char c : id.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace fastthread::server
