// Every limit a job has, each answered with a readable error when crossed.
#pragma once

#include <cstdint>

namespace fastthread {

struct Limits {
  std::uint64_t max_record_bytes = 256ull << 20;  // one CSV row / JSON line / log line
  std::uint64_t max_columns = 16384;
  std::uint32_t max_json_depth = 64;              // nesting depth of one JSON value

  // Compressed input (the host decompresses it, see Job::set_input_compression):
  // 64 GiB of decompressed bytes is past any upload the server takes (10 GiB by default)
  // at the ratios of real data, yet bounds a job to minutes of work and its output's disk.
  std::uint64_t max_decompressed_bytes = 64ull << 30;
  // Real tables and logs compress 3 to 100 times; deflate cannot pass about 1032:1, so 1000
  // stops a gzip of (nearly) nothing but one byte, and any zstd stream past it, while no
  // ordinary file gets near. Checked once 1 MiB is decompressed (a small file may have a
  // header that compresses far better than the rest).
  std::uint64_t max_expansion_ratio = 1000;
};

}  // namespace fastthread
