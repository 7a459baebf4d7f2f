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

void TopValues::swap_heap(std::uint32_t a, std::uint32_t b) {
  std::swap(heap_[a], heap_[b]);
  heap_pos_[heap_[a].slot] = a;
  heap_pos_[heap_[b].slot] = b;
}

void TopValues::sift_up(std::uint32_t pos) {
  while (pos > 0) {
    const std::uint32_t parent = (pos - 1) / 2;
    if (heap_[parent].count <= heap_[pos].count) return;
    swap_heap(parent, pos);
    pos = parent;
  }
}

void TopValues::sift_down(std::uint32_t pos) {
  const auto n = static_cast<std::uint32_t>(heap_.size());
  for (;;) {
    std::uint32_t smallest = pos;
    const std::uint32_t left = 2 * pos + 1, right = left + 1;
    if (left < n && heap_[left].count < heap_[smallest].count) smallest = left;
    if (right < n && heap_[right].count < heap_[smallest].count) smallest = right;
    if (smallest == pos) return;
    swap_heap(pos, smallest);
    pos = smallest;
  }
}

void TopValues::add(std::string_view text, std::uint64_t hash) {
  ++total_;
  if (index_.empty()) index_.assign(kIndexSlots, 0);
  const std::uint32_t at = find_index(hash);
  if (index_[at] != 0) {
    const std::uint32_t slot = index_[at] - 1;
    const std::uint32_t pos = heap_pos_[slot];
    heap_[pos].count = ++entries_[slot].count;
    sift_down(pos);
    return;
  }
  if (entries_.size() < kCapacity) {
    const auto slot = static_cast<std::uint32_t>(entries_.size());
    Entry& entry = entries_.emplace_back();
    assign_value(entry, text);
    entry.hash = hash;
    entry.count = 1;
    index_[at] = slot + 1;
    heap_.push_back({1, slot});
    heap_pos_.push_back(slot);
    sift_up(slot);
    return;
  }
  // Space-Saving: the new value replaces the least frequent and inherits its count.
  evicted_ = true;
  const std::uint32_t slot = heap_[0].slot;
  Entry& entry = entries_[slot];
  erase_index(find_index(entry.hash));
  entry.error = entry.count;
  ++entry.count;
  entry.hash = hash;
  assign_value(entry, text);
  index_[find_index(hash)] = slot + 1;
  heap_[0].count = entry.count;
  sift_down(0);
}

void TopValues::rebuild(std::vector<Entry> entries) {
  entries_ = std::move(entries);
  index_.assign(kIndexSlots, 0);
  heap_.clear();
  heap_pos_.clear();
  for (std::uint32_t slot = 0; slot < entries_.size(); ++slot) {
    index_[find_index(entries_[slot].hash)] = slot + 1;
    heap_.push_back({entries_[slot].count, slot});
    heap_pos_.push_back(slot);
    sift_up(slot);
  }
}

void TopValues::merge(const TopValues& other) {
  if (other.total_ == 0) return;
  if (total_ == 0) {
    *this = other;
    return;
  }
  // A value absent from a part that has evicted may have been seen there up to that
  // part's smallest count times.
  const auto floor_of = [](const TopValues& t) -> std::uint64_t { return t.evicted_ ? t.heap_[0].count : 0; };
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
