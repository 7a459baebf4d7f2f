#include "fd_sink.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fastthread::cli {

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void FdSink::write(std::string_view bytes) {
  if (failed()) return;
  if (!write_all(fd_, bytes)) error_ = std::strerror(errno);
}

}  // namespace fastthread::cli
