// What the core knows of input its host decompressed: the codec's name, the limits on
// what decompressing may produce, and the name the sniffer should read (internal).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fastthread/job.hpp"

namespace fastthread::detail {

// The ratio is checked only past this many decompressed bytes: the first kilobytes of a
// file (a header, a repeated prefix) may compress far better than the rest.
constexpr std::uint64_t kExpansionCheckAfterBytes = 1ull << 20;

// too_large when `decompressed` bytes (so far) from `compressed` bytes (read so far) pass
// limits.max_decompressed_bytes or limits.max_expansion_ratio; nullopt while within them.
std::optional<JobError> check_decompression_limits(const Limits& limits, Compression codec,
                                                   std::uint64_t compressed, std::uint64_t decompressed);

// `name` without the codec's suffix (.gz, .gzip, .zst, .zstd; any case), so that
// "sales.csv.gz" hints csv to the sniffer as "sales.csv" does.
std::string_view name_without_compression_suffix(std::string_view name, Compression codec);

}  // namespace fastthread::detail
