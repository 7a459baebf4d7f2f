#include "split_harness.hpp"

#include <gtest/gtest.h>

namespace fastthread::testing {

std::string expect_split_invariant(std::string_view input,
                                   const std::function<std::string(const std::vector<std::string_view>&)>& run,
                                   int random_rounds, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::string whole = run(split(input, 0, rng));
  EXPECT_EQ(run(split(input, 1, rng)), whole) << "1-byte chunks differ";
  for (int round = 0; round < random_rounds; ++round) {
    const std::size_t max_chunk = round % 3 == 0 ? 4 : round % 3 == 1 ? 64 : 4096;
    const std::string got = run(split(input, 2, rng, max_chunk));
    if (got != whole) {
      ADD_FAILURE() << "random chunking " << round << " (max " << max_chunk << " bytes) differs";
      break;
    }
  }
  return whole;
}

}  // namespace fastthread::testing
