// The worker's end of its channel: blocking framed I/O (internal to the worker).
#pragma once

#include <optional>
#include <string_view>

#include "pool/frame.hpp"
#include "pool/messages.hpp"

namespace fastthread::pool::detail {

class WorkerChannel {
 public:
  explicit WorkerChannel(int fd) : fd_(fd) {}

  // Sends one encoded message (messages.hpp). A master that is gone cannot take results:
  // the process exits.
  void send(std::string_view frame);

  // The next message, waiting up to `timeout_ms` (-1: as long as it takes; 0: only what
  // has already arrived); nullopt when none came. EOF from the master means "exit now":
  // the process exits (status 0); a malformed frame or a message that does not decode
  // ends it with kWorkerExitProtocol.
  std::optional<MasterMessage> receive(int timeout_ms);

 private:
  int fd_;
  FrameReader reader_;
};

}  // namespace fastthread::pool::detail
