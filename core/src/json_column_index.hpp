// Flattened JSON key -> column number, without allocating on lookup (internal).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/columns.hpp"

namespace fastthread::detail {

// Columns::intern builds a std::string per call; a JSON row looks up every key, so this
// index answers lookups from string_views. Columns met in a row are provisional until the
// row is known to be good: commit() interns them, rollback() forgets them, so a bad row
// never adds columns. A per-position cache of the previous rows' keys makes the common
// case (every row has the same keys in the same order) one comparison per key.
class JsonColumnIndex {
 public:
  static constexpr std::uint32_t npos = UINT32_MAX;

  JsonColumnIndex(Columns& columns, std::uint64_t max_columns)
      : columns_(columns), max_columns_(max_columns) {
    slots_.assign(64, 0);
  }

  std::size_t size() const { return hashes_.size(); }

  // Column number of `name`, the `ordinal`-th key of the row; adds it provisionally when
  // new. npos when adding it would pass max_columns.
  std::uint32_t find_or_add(std::string_view name, std::uint32_t ordinal) {
    if (ordinal < recent_.size() && recent_[ordinal].index != npos && recent_[ordinal].name == name) {
      return recent_[ordinal].index;
    }
    const std::uint64_t h = hash(name);
    std::size_t slot = static_cast<std::size_t>(h) & (slots_.size() - 1);
    std::uint32_t index = npos;
    while (slots_[slot] != 0) {
      const std::uint32_t candidate = slots_[slot] - 1;
      if (hashes_[candidate] == h && name_of(candidate) == name) {
        index = candidate;
        break;
      }
      slot = (slot + 1) & (slots_.size() - 1);
    }
    if (index == npos) {
      if (size() >= max_columns_) return npos;
      index = static_cast<std::uint32_t>(size());
      pending_.emplace_back(name);
      hashes_.push_back(h);
      slots_[slot] = index + 1;
      if (size() * 2 > slots_.size()) grow();
    }
    remember(ordinal, name, index);
    return index;
  }

  // The row was good: its new columns join Columns, in first-seen order.
  void commit() {
    for (const std::string& name : pending_) columns_.intern(name);
    pending_.clear();
  }

  // The row was bad: forget its new columns. Linear probing lets entries be removed
  // exactly when they go in reverse insertion order (no later entry probes past them).
  void rollback() {
    if (pending_.empty()) return;
    const std::size_t committed = columns_.size();
    for (std::size_t i = hashes_.size(); i-- > committed;) {
      std::size_t slot = static_cast<std::size_t>(hashes_[i]) & (slots_.size() - 1);
      while (slots_[slot] != i + 1) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = 0;
    }
    hashes_.resize(committed);
    pending_.clear();
    for (Recent& r : recent_) {
      if (r.index != npos && r.index >= committed) r.index = npos;
    }
  }

 private:
  struct Recent {
    std::string name;
    std::uint32_t index = npos;
  };
  // Rows with more keys than this fall back to hashing for the rest.
  static constexpr std::uint32_t kMaxRecent = 4096;

  std::string_view name_of(std::uint32_t index) const {
    const std::size_t committed = columns_.size();
    return index < committed ? std::string_view(columns_.name(index))
                             : std::string_view(pending_[index - committed]);
  }

  void remember(std::uint32_t ordinal, std::string_view name, std::uint32_t index) {
    if (ordinal >= kMaxRecent) return;
    if (ordinal >= recent_.size()) recent_.resize(ordinal + 1);
    recent_[ordinal].name.assign(name);
    recent_[ordinal].index = index;
  }

  // Reinserting in column order keeps insertion order, which rollback() relies on.
  void grow() {
    slots_.assign(slots_.size() * 2, 0);
    for (std::uint32_t i = 0; i < hashes_.size(); ++i) {
      std::size_t slot = static_cast<std::size_t>(hashes_[i]) & (slots_.size() - 1);
      while (slots_[slot] != 0) slot = (slot + 1) & (slots_.size() - 1);
      slots_[slot] = i + 1;
    }
  }

  // A fixed 64-bit hash, eight bytes at a time (never std::hash: see COMMON rules).
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (s.size() * 0xFF51AFD7ED558CCDull);
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 29;
    }
    if (i < s.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, s.size() - i);
      h = (h ^ w) * 0x94D049BB133111EBull;
    }
    h ^= h >> 32;
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
    return h;
  }

  Columns& columns_;
  std::uint64_t max_columns_;
  std::vector<std::string> pending_;   // provisional names, numbered after Columns
  std::vector<std::uint64_t> hashes_;  // by column number, committed and pending
  std::vector<std::uint32_t> slots_;   // column number + 1; 0 = empty
  std::vector<Recent> recent_;         // by key position in the row
};

}  // namespace fastthread::detail
