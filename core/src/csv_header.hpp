// Unique column names from a CSV header line (internal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fastthread/columns.hpp"

namespace fastthread::detail {

// Header names made unique: an empty name becomes column_N (N its 1-based position), a
// repeated name gets _2, _3, ... (the first free one).
class CsvHeaderNames {
 public:
  explicit CsvHeaderNames(Columns& columns) : columns_(columns) {}
  void add(std::string_view raw, std::size_t position) {
    std::string base = raw.empty() ? "column_" + std::to_string(position) : std::string(raw);
    if (columns_.find(base) == Columns::npos) {
      columns_.intern(base);
      return;
    }
    std::uint64_t& k = next_suffix_.try_emplace(base, 2).first->second;
    std::string candidate;
    do {
      candidate = base + "_" + std::to_string(k++);
    } while (columns_.find(candidate) != Columns::npos);
    columns_.intern(candidate);
  }

 private:
  Columns& columns_;
  std::unordered_map<std::string, std::uint64_t> next_suffix_;  // only looked up, never iterated
};

}  // namespace fastthread::detail
