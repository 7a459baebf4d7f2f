#include "pool/master_channel.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <vector>

namespace fastthread::pool::detail {
namespace {

using namespace std::chrono_literals;

// The master's end on one side of a socketpair; the test plays the worker on the other.
struct ChannelPair {
  ChannelPair() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    worker = fds[1];
    channel = std::make_shared<MasterChannel>(io, fds[0]);
    channel->start([this](Json m) { messages.push_back(std::move(m)); },
                   [this](const std::string& error) {
                     closed = true;
                     close_error = error;
                   });
  }
  ~ChannelPair() {
    channel->close();
    if (worker >= 0) ::close(worker);
  }
  void worker_writes(const std::string& bytes) {
    ASSERT_EQ(::write(worker, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void run() {
    io.restart();
    io.run_for(50ms);
  }

  boost::asio::io_context io;
  std::shared_ptr<MasterChannel> channel;
  int worker = -1;
  std::vector<Json> messages;
  bool closed = false;
  std::string close_error;
};

TEST(MasterChannelTest, DeliversMessagesAndSendsFramesInOrder) {
  ChannelPair p;
  p.worker_writes(encode_frame(Json{{"op", "ready"}, {"pid", 7}}) + encode_frame(Json{{"op", "progress"}}));
  for (int i = 0; i < 100; ++i) p.channel->send(encode_frame(Json{{"op", "data"}, {"available", i}}));
  p.run();
  ASSERT_EQ(p.messages.size(), 2u);
  EXPECT_EQ(p.messages[0]["pid"], 7);
  EXPECT_EQ(p.messages[1]["op"], "progress");

  std::string received(1 << 16, '\0');
  const ssize_t n = ::read(p.worker, received.data(), received.size());
  ASSERT_GT(n, 0);
  FrameReader reader;
  reader.feed(std::string_view(received.data(), static_cast<std::size_t>(n)));
  for (int i = 0; i < 100; ++i) {
    auto next = reader.next();
    ASSERT_TRUE(std::holds_alternative<Json>(next)) << i;
    EXPECT_EQ(std::get<Json>(next)["available"], i);
  }
  EXPECT_FALSE(p.closed);
}

TEST(MasterChannelTest, CleanEofClosesWithoutError) {
  ChannelPair p;
  ::close(p.worker);
  p.worker = -1;
  p.run();
  EXPECT_TRUE(p.closed);
  EXPECT_EQ(p.close_error, "");
}

TEST(MasterChannelTest, EofInsideAFrameIsAnError) {
  ChannelPair p;
  p.worker_writes(encode_frame(Json{{"op", "finish"}}).substr(0, 6));
  ::close(p.worker);
  p.worker = -1;
  p.run();
  EXPECT_TRUE(p.closed);
  EXPECT_EQ(p.close_error, "the channel ended inside a frame");
  EXPECT_FALSE(p.channel->ended_on_bad_frame()) << "a worker that dies mid-frame broke no rule";
}

TEST(MasterChannelTest, AMalformedFrameClosesTheChannel) {
  ChannelPair p;
  p.worker_writes(encode_frame(Json{{"op", "ready"}}) +
                  std::string("\0\0\0\x03"
                              "abc",
                              7) +
                  encode_frame(Json{{"op", "never"}}));
  p.run();
  ASSERT_EQ(p.messages.size(), 1u) << "what came before the bad frame is delivered";
  EXPECT_TRUE(p.closed);
  EXPECT_EQ(p.close_error, "bad frame from the worker: frame is not valid JSON");
  EXPECT_TRUE(p.channel->ended_on_bad_frame());
  p.channel->send(encode_frame(Json{{"op", "stop"}}));  // harmless after the end
}

}  // namespace
}  // namespace fastthread::pool::detail
