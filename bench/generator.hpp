// Deterministic benchmark data: the same kind, size and seed give the same bytes anywhere.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace fastthread::bench {

enum class DataKind : std::uint8_t { mixed_csv, numeric_csv, ndjson, access_log };

std::string_view to_string(DataKind kind);
std::optional<DataKind> parse_data_kind(std::string_view name);

// A byte count: digits with an optional suffix K, M or G, then an optional B or iB, any
// case. "iB" counts in 1024s (1GiB = 2^30), the rest in 1000s (100MB = 10^8, 500k = 5*10^5).
// Plain digits are bytes. Returns nullopt for anything else or on overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// Writes a header line (CSV kinds), then whole rows until at least `target_bytes` have been
// written: the output is target_bytes plus less than one row. `write` receives blocks of
// about `block_bytes`. Returns the bytes written.
std::uint64_t generate(DataKind kind, std::uint64_t target_bytes, std::uint64_t seed,
                       const std::function<void(std::string_view)>& write, std::size_t block_bytes = 1 << 20);

}  // namespace fastthread::bench
