#include "fastthread/sketch/top_values.hpp"

#include <algorithm>
#include <utility>

namespace fastthread::sketch {

namespace {

constexpr std::uint32_t kIndexSlots = 2 * TopValues::kCapacity;  // load at most one half
constexpr std::uint32_t kIndexMask = kIndexSlots - 1;

std::uint32_t home(std::uint64_t hash) {
  return static_cast<std::uint32_t>(hash) & kIndexMask;
}

void assign_value(TopValues::Entry& entry, std::string_view text) {
  entry.truncated = text.size() > TopValues::kMaxValueBytes;
  entry.value.assign(text.substr(0, TopValues::kMaxValueBytes));
}

bool ranks_before(const TopValues::Entry& a, const TopValues::Entry& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.value != b.value) return a.value < b.value;
  return a.hash < b.hash;
}

}  // namespace

std::uint32_t TopValues::find_index(std::uint64_t hash) const {
  std::uint32_t i = home(hash);
  while (index_[i] != 0 && entries_[index_[i] - 1].hash != hash) i = (i + 1) & kIndexMask;
  return i;
}

// Backward-shift deletion: no tombstones, so probes never lengthen over time.
void TopValues::erase_index(std::uint32_t pos) {
  std::uint32_t gap = pos;
  std::uint32_t j = pos;
  for (;;) {
    j = (j + 1) & kIndexMask;
    if (index_[j] == 0) break;
    const std::uint32_t k = home(entries_[index_[j] - 1].hash);
    // The entry at j may move into the gap unless its home lies cyclically in (gap, j].
    const bool stays = gap <= j ? (gap < k && k <= j) : (gap < k || k <= j);
    if (stays) continue;
    index_[gap] = index_[j];
    gap = j;
  }
  index_[gap] = 0;
}

std::uint32_t TopValues::evict_smallest() {
  for (;;) {
    while (!min_pool_.empty()) {
      const std::uint32_t slot = min_pool_.back();
      min_pool_.pop_back();
      if (entries_[slot].count == min_count_) return slot;
    }
    min_count_ = UINT64_MAX;
    for (const Entry& e : entries_) min_count_ = std::min(min_count_, e.count);
    // Lowest slot first, so ties are broken the same way on every run.
    for (auto slot = static_cast<std::uint32_t>(entries_.size()); slot-- > 0;) {
      if (entries_[slot].count == min_count_) min_pool_.push_back(slot);
    }
  }
}

void TopValues::add(std::string_view text, std::uint64_t hash) {
  ++total_;
  if (index_.empty()) index_.assign(kIndexSlots, 0);
  const std::uint32_t at = find_index(hash);
  if (index_[at] != 0) {
    ++entries_[index_[at] - 1].count;
    return;
  }
  if (entries_.size() < kCapacity) {
    const auto slot = static_cast<std::uint32_t>(entries_.size());
    Entry& entry = entries_.emplace_back();
    assign_value(entry, text);
    entry.hash = hash;
    entry.count = 1;
    index_[at] = slot + 1;
    return;
  }
  // Space-Saving: the new value replaces the least frequent and inherits its count.
  evicted_ = true;
  const std::uint32_t slot = evict_smallest();
  Entry& entry = entries_[slot];
  erase_index(find_index(entry.hash));
  entry.error = entry.count;
  ++entry.count;
  entry.hash = hash;
  assign_value(entry, text);
  index_[find_index(hash)] = slot + 1;
}

void TopValues::rebuild(std::vector<Entry> entries) {
  entries_ = std::move(entries);
  index_.assign(kIndexSlots, 0);
  for (std::uint32_t slot = 0; slot < entries_.size(); ++slot) index_[find_index(entries_[slot].hash)] = slot + 1;
  min_pool_.clear();
}

void TopValues::merge(const TopValues& other) {
  if (other.total_ == 0) return;
  if (total_ == 0) {
    *this = other;
    return;
  }
  // A value absent from a part that has evicted may have been seen there up to that
  // part's smallest count times.
  const auto floor_of = [](const TopValues& t) -> std::uint64_t {
    if (!t.evicted_) return 0;
    std::uint64_t smallest = UINT64_MAX;
    for (const Entry& e : t.entries_) smallest = std::min(smallest, e.count);
    return smallest;
  };
  const std::uint64_t floor_this = floor_of(*this), floor_other = floor_of(other);
  std::vector<Entry> combined = entries_;
  std::vector<bool> matched(other.entries_.size(), false);
  for (Entry& entry : combined) {
    const std::uint32_t at = other.find_index(entry.hash);
    if (other.index_[at] != 0) {
      const Entry& theirs = other.entries_[other.index_[at] - 1];
      entry.count += theirs.count;
      entry.error += theirs.error;
      matched[other.index_[at] - 1] = true;
    } else {
      entry.count += floor_other;
      entry.error += floor_other;
    }
  }
  for (std::size_t i = 0; i < other.entries_.size(); ++i) {
    if (matched[i]) continue;
    Entry& entry = combined.emplace_back(other.entries_[i]);
    entry.count += floor_this;
    entry.error += floor_this;
  }
  std::sort(combined.begin(), combined.end(), ranks_before);
  evicted_ = evicted_ || other.evicted_ || combined.size() > kCapacity;
  if (combined.size() > kCapacity) combined.resize(kCapacity);
  total_ += other.total_;
  rebuild(std::move(combined));
}

std::vector<TopValues::Entry> TopValues::top(std::uint32_t n) const {
  std::vector<Entry> sorted = entries_;
  std::sort(sorted.begin(), sorted.end(), ranks_before);
  if (sorted.size() > n) sorted.resize(n);
  return sorted;
}

}  // namespace fastthread::sketch
