// The connections an open-file limit leaves room for (native/src/server/open_files.hpp).
#include "server/open_files.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace fastthread::server {
namespace {

TEST(OpenFiles, AGenerousLimitKeepsWhatWasAsked) {
  auto budget = budget_connections(1u << 20, 8, 8, 1024);
  EXPECT_EQ(budget.max_connections, 1024u);
  EXPECT_FALSE(budget.lowered);
}

TEST(OpenFiles, TheCommonLimitOf1024HoldsLessThan1024Connections) {
  auto budget = budget_connections(1024, 4, 8, 1024);
  EXPECT_TRUE(budget.lowered);
  EXPECT_EQ(budget.reserved, reserved_descriptors(4, 8));
  // Every connection may hold a socket and a file at once, and the rest stays for the master.
  EXPECT_EQ(budget.max_connections, (1024 - budget.reserved) / kDescriptorsPerConnection);
  EXPECT_LE(budget.reserved + budget.max_connections * kDescriptorsPerConnection, 1024u);
}

TEST(OpenFiles, WorkersAndRefusalsTakeTheirShare) {
  EXPECT_EQ(reserved_descriptors(5, 8) - reserved_descriptors(1, 8), 8u);  // two per worker
  EXPECT_EQ(reserved_descriptors(1, 9) - reserved_descriptors(1, 8), 1u);
  EXPECT_LT(budget_connections(256, 16, 8, 1024).max_connections,
            budget_connections(256, 1, 8, 1024).max_connections);
}

TEST(OpenFiles, ALimitBelowWhatTheMasterNeedsLeavesNoConnection) {
  const auto reserved = reserved_descriptors(2, 8);
  EXPECT_EQ(budget_connections(reserved, 2, 8, 1024).max_connections, 0u);
  EXPECT_EQ(budget_connections(reserved / 2, 2, 8, 1024).max_connections, 0u);
  EXPECT_EQ(budget_connections(reserved + kDescriptorsPerConnection, 2, 8, 1024).max_connections, 1u);
}

TEST(OpenFiles, RaisingGoesAsFarAsTheHardLimit) {
  const auto limit = raise_open_file_limit();
  rlimit now{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(limit.soft, now.rlim_cur);
  EXPECT_EQ(limit.soft, limit.hard);
  EXPECT_GE(limit.soft, limit.was);
}

}  // namespace
}  // namespace fastthread::server
