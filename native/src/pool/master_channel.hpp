// The master's end of one worker's channel: async framed reads and a write queue on the
// master's io_context (internal to the pool).
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "pool/frame.hpp"

namespace fastthread::pool::detail {

// A Unix stream socket rather than a bare stream_descriptor: socket writes use
// MSG_NOSIGNAL, so writing to a worker that just died gives EPIPE, never SIGPIPE.
class MasterChannel : public std::enable_shared_from_this<MasterChannel> {
 public:
  // A message as FrameReader hands it out; decoding it (messages.hpp) is the owner's part.
  using OnMessage = std::function<void(Json message)>;
  // Called once when the channel ends: EOF, an I/O error, or a malformed frame (`error`
  // says which; empty for a clean EOF). Not called after close().
  using OnClosed = std::function<void(const std::string& error)>;

  MasterChannel(boost::asio::io_context& io, int fd);

  void start(OnMessage on_message, OnClosed on_closed);
  // Sends one encoded message (messages.hpp). Always add to the queue; write only when
  // not already writing.
  void send(std::string frame);
  // Closes the socket and forgets the callbacks: nothing is delivered after this.
  void close();
  // The channel ended on a frame the worker should never have sent (not on EOF or an
  // I/O error): the worker broke the protocol.
  bool ended_on_bad_frame() const { return bad_frame_; }

 private:
  void read();
  void write();
  void end(const std::string& error);

  boost::asio::local::stream_protocol::socket socket_;
  FrameReader reader_;
  std::array<char, 64 * 1024> buffer_{};
  std::deque<std::string> queue_;
  OnMessage on_message_;
  OnClosed on_closed_;
  bool closed_ = false;
  bool bad_frame_ = false;
};

}  // namespace fastthread::pool::detail
