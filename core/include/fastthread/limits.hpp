// Every limit a job has, each answered with a readable error when crossed.
#pragma once

#include <cstdint>

namespace fastthread {

struct Limits {
  std::uint64_t max_record_bytes = 256ull << 20;  // one CSV row / JSON line / log line
  std::uint64_t max_columns = 16384;
  std::uint32_t max_json_depth = 64;              // nesting depth of one JSON value
};

}  // namespace fastthread
