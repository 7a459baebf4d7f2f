#include "pool/master_channel.hpp"

#include <unistd.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

namespace fastthread::pool::detail {

MasterChannel::MasterChannel(boost::asio::io_context& io, int fd) : socket_(io) {
  boost::system::error_code ec;
  socket_.assign(boost::asio::local::stream_protocol(), fd, ec);
  if (ec) {
    ::close(fd);
    closed_ = true;
  }
}

void MasterChannel::start(OnMessage on_message, OnClosed on_closed) {
  on_message_ = std::move(on_message);
  on_closed_ = std::move(on_closed);
  if (closed_) {
    end("the channel could not be set up");
    return;
  }
  read();
}

void MasterChannel::read() {
  socket_.async_read_some(
      boost::asio::buffer(buffer_), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
        if (self->closed_) return;
        if (ec) {
          if (ec != boost::asio::error::eof) {
            self->end(ec.message());
          } else {
            self->end(self->reader_.pending() == 0 ? std::string() : "the channel ended inside a frame");
          }
          return;
        }
        self->reader_.feed(std::string_view(self->buffer_.data(), n));
        while (true) {
          auto next = self->reader_.next();
          if (auto* error = std::get_if<FrameError>(&next)) {
            self->bad_frame_ = true;
            self->end("bad frame from the worker: " + error->message);
            return;
          }
          auto* message = std::get_if<Json>(&next);
          if (message == nullptr) break;
          // A handler may close the channel (and so drop the callbacks) while it runs.
          auto on_message = self->on_message_;
          on_message(std::move(*message));
          if (self->closed_) return;
        }
        self->read();
      });
}

void MasterChannel::send(std::string frame) {
  if (closed_) return;
  queue_.push_back(std::move(frame));
  if (queue_.size() == 1) write();
}

void MasterChannel::write() {
  boost::asio::async_write(socket_, boost::asio::buffer(queue_.front()),
                           [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                             if (self->closed_) return;
                             // A write error means the worker is gone; the read side reports it.
                             if (ec) {
                               self->queue_.clear();
                               return;
                             }
                             self->queue_.pop_front();
                             if (!self->queue_.empty()) self->write();
                           });
}

void MasterChannel::end(const std::string& error) {
  if (closed_ && !on_closed_) return;
  auto on_closed = std::move(on_closed_);
  close();
  if (on_closed) on_closed(error);
}

void MasterChannel::close() {
  closed_ = true;
  on_message_ = nullptr;
  on_closed_ = nullptr;
  // The queue stays: a write in flight may still point into it until it is aborted.
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace fastthread::pool::detail
