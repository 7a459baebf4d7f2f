// Counting connections in all and per address (native/src/server/connection_limits.hpp).
#include "server/connection_limits.hpp"

#include <gtest/gtest.h>

namespace fastthread::server {
namespace {

using Verdict = ConnectionLimits::Verdict;

TEST(ConnectionLimits, OneAddressGetsItsShareAndOthersTheRest) {
  ConnectionLimits limits(5, 2);
  EXPECT_EQ(limits.admit("10.0.0.1"), Verdict::admitted);
  EXPECT_EQ(limits.admit("10.0.0.1"), Verdict::admitted);
  EXPECT_EQ(limits.admit("10.0.0.1"), Verdict::address_full);
  EXPECT_EQ(limits.admit("10.0.0.2"), Verdict::admitted);
  EXPECT_EQ(limits.open(), 3u);
  EXPECT_EQ(limits.open_from("10.0.0.1"), 2u);
  limits.release("10.0.0.1");
  EXPECT_EQ(limits.admit("10.0.0.1"), Verdict::admitted);
}

TEST(ConnectionLimits, TheTotalComesFirst) {
  ConnectionLimits limits(2, 1);
  EXPECT_EQ(limits.admit("a"), Verdict::admitted);
  EXPECT_EQ(limits.admit("b"), Verdict::admitted);
  EXPECT_EQ(limits.admit("c"), Verdict::server_full);
  EXPECT_EQ(limits.admit("a"), Verdict::server_full);
  limits.release("b");
  EXPECT_EQ(limits.admit("a"), Verdict::address_full);
  EXPECT_EQ(limits.admit("c"), Verdict::admitted);
}

TEST(ConnectionLimits, ZeroPerAddressIsNoCapAndReleasedAddressesAreForgotten) {
  ConnectionLimits limits(100, 0);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(limits.admit("a"), Verdict::admitted);
  EXPECT_EQ(limits.admit("a"), Verdict::server_full);
  for (int i = 0; i < 100; ++i) limits.release("a");
  EXPECT_EQ(limits.open(), 0u);
  EXPECT_EQ(limits.open_from("a"), 0u);
}

TEST(ConnectionLimits, OnlyAFewRefusalsAreAnsweredAtOnce) {
  ConnectionLimits limits(1, 1);
  for (std::uint64_t i = 0; i < kAnsweredRefusals; ++i) EXPECT_TRUE(limits.begin_answer());
  EXPECT_FALSE(limits.begin_answer());
  limits.end_answer();
  EXPECT_TRUE(limits.begin_answer());
}

}  // namespace
}  // namespace fastthread::server
