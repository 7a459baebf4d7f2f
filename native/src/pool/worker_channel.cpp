#include "pool/worker_channel.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "pool/worker_main.hpp"

namespace fastthread::pool::detail {

void WorkerChannel::send(std::string_view frame) {
  std::string_view rest = frame;
  while (!rest.empty()) {
    const ssize_t n = ::write(fd_, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(kWorkerExitOk);
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::optional<MasterMessage> WorkerChannel::receive(int timeout_ms) {
  while (true) {
    auto next = reader_.next();
    if (auto* message = std::get_if<Json>(&next)) {
      auto decoded = decode_master_message(std::move(*message));
      if (auto* master = std::get_if<MasterMessage>(&decoded)) return std::move(*master);
      _exit(kWorkerExitProtocol);
    }
    if (std::holds_alternative<FrameError>(next)) _exit(kWorkerExitProtocol);

    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) _exit(kWorkerExitProtocol);
    if (ready == 0) return std::nullopt;
    char buffer[64 * 1024];
    const ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) _exit(kWorkerExitOk);
    reader_.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    // Whatever is already buffered is handed out before waiting again: with timeout 0
    // the loop stops at the next poll that finds nothing.
  }
}

}  // namespace fastthread::pool::detail
