// An OutputSink that writes to a file descriptor (internal to the CLI).
#pragma once

#include <string>
#include <string_view>

#include "fastthread/sink.hpp"

namespace fastthread::cli {

// Writes every byte of `bytes` to `fd`, retrying short writes and EINTR.
bool write_all(int fd, std::string_view bytes);

// Remembers the first write error instead of throwing through the core.
class FdSink final : public OutputSink {
 public:
  explicit FdSink(int fd) : fd_(fd) {}
  void write(std::string_view bytes) override;
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  int fd_;
  std::string error_;
};

}  // namespace fastthread::cli
