#include "fastthread/sketch/top_values.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "byte_ops.hpp"

namespace fastthread::sketch {

namespace {

// Load at most 1/16: a lookup or a deletion nearly always stops at its first cell, so
// their loops' exits predict (measured: an eviction costs half what it does at load 1/4).
constexpr std::uint32_t kIndexSlots = 16 * TopValues::kCapacity;
constexpr std::uint32_t kIndexMask = kIndexSlots - 1;

// An index cell holds the hash's top 16 bits above slot + 1 (0 = empty): probes compare
// those bits and look at the slot's full hash only when they match, and a cell's home,
// taken from the same top bits, is known without touching the slot.
constexpr int kTagShift = 48;
constexpr int kHomeShift = 64 - 12;
static_assert(kIndexSlots == 1u << 12);

std::uint32_t cell(std::uint64_t hash, std::uint32_t slot) {
  return static_cast<std::uint32_t>(hash >> kTagShift) << 16 | (slot + 1);
}
std::uint32_t slot_of(std::uint32_t cell) {
  return (cell & 0xFFFF) - 1;
}
std::uint32_t home_of_cell(std::uint32_t cell) {
  return cell >> (16 + kHomeShift - kTagShift);
}

std::uint32_t home(std::uint64_t hash) {
  return static_cast<std::uint32_t>(hash >> kHomeShift);
}

bool ranks_before(const TopValues::Entry& a, const TopValues::Entry& b) {
  if (a.count != b.count) return a.count > b.count;
  if (a.value != b.value) return a.value < b.value;
  return a.hash < b.hash;
}

// Space-Saving's own order: which counters a merge keeps.
bool counter_before(const TopValues::Entry& a, const TopValues::Entry& b) {
  const std::uint64_t ua = a.count + a.error, ub = b.count + b.error;
  if (ua != ub) return ua > ub;
  return ranks_before(a, b);
}

}  // namespace

std::uint32_t TopValues::find_index(std::uint64_t hash) const {
  std::uint32_t i = home(hash);
  const std::uint32_t tag = static_cast<std::uint32_t>(hash >> kTagShift);
  for (;;) {
    const std::uint32_t c = index_[i];
    if (c == 0 || ((c >> 16) == tag && hashes_[slot_of(c)] == hash)) return i;
    i = (i + 1) & kIndexMask;
  }
}

// Backward-shift deletion: no tombstones, so probes never lengthen over time.
void TopValues::erase_index(std::uint32_t pos) {
  std::uint32_t gap = pos;
  std::uint32_t j = pos;
  for (;;) {
    j = (j + 1) & kIndexMask;
    if (index_[j] == 0) break;
    const std::uint32_t k = home_of_cell(index_[j]);
    // The entry at j may move into the gap unless its home lies cyclically in (gap, j].
    const bool stays = gap <= j ? (gap < k && k <= j) : (gap < k || k <= j);
    if (stays) continue;
    index_[gap] = index_[j];
    positions_[slot_of(index_[gap])] = static_cast<std::uint16_t>(gap);
    gap = j;
  }
  index_[gap] = 0;
}

void TopValues::set_text(std::uint32_t slot, std::string_view text) {
  const std::size_t kept = std::min(text.size(), kMaxValueBytes);
  detail::copy_bytes(texts_.data() + slot * kMaxValueBytes, text.data(), kept);
  lengths_[slot] = static_cast<std::uint16_t>(kept);
  truncated_[slot] = text.size() > kMaxValueBytes;
}

TopValues::Entry TopValues::entry(std::uint32_t slot) const {
  Entry e;
  e.value.assign(texts_.data() + slot * kMaxValueBytes, lengths_[slot]);
  e.truncated = truncated_[slot] != 0;
  e.hash = hashes_[slot];
  e.count = counts_[slot] - errors_[slot];
  e.error = errors_[slot];
  return e;
}

std::vector<TopValues::Entry> TopValues::entries() const {
  std::vector<Entry> all;
  all.reserve(size());
  for (std::uint32_t slot = 0; slot < size(); ++slot) all.push_back(entry(slot));
  return all;
}

std::uint32_t TopValues::evict_smallest() {
  for (;;) {
    while (!min_pool_.empty()) {
      const std::uint32_t slot = min_pool_.back();
      min_pool_.pop_back();
      if (counts_[slot] == min_count_) return slot;
    }
    min_count_ = *std::min_element(counts_.begin(), counts_.end());
    // Lowest slot first, so ties are broken the same way on every run.
    for (std::uint32_t slot = size(); slot-- > 0;) {
      if (counts_[slot] == min_count_) min_pool_.push_back(slot);
    }
  }
}

void TopValues::add(std::string_view text, std::uint64_t hash) {
  ++total_;
  if (index_.empty()) index_.assign(kIndexSlots, 0);
  const std::uint32_t at = find_index(hash);
  if (index_[at] != 0) {
    ++counts_[slot_of(index_[at])];
    return;
  }
  if (size() < kCapacity) {
    const std::uint32_t slot = size();
    hashes_.push_back(hash);
    counts_.push_back(1);
    errors_.push_back(0);
    lengths_.push_back(0);
    truncated_.push_back(0);
    positions_.push_back(static_cast<std::uint16_t>(at));
    if (texts_.size() < hashes_.size() * kMaxValueBytes) texts_.resize(hashes_.size() * kMaxValueBytes);
    set_text(slot, text);
    index_[at] = cell(hash, slot);
    return;
  }
  // Space-Saving: the new value replaces the least frequent and inherits its count. Its
  // cell goes into the gap the failed lookup ended on before the old cell is deleted
  // (whose shifts then move the new cell too if need be), so one probe serves both.
  evicted_ = true;
  const std::uint32_t slot = evict_smallest();
  const std::uint32_t old_position = positions_[slot];
  index_[at] = cell(hash, slot);
  positions_[slot] = static_cast<std::uint16_t>(at);
  erase_index(old_position);
  errors_[slot] = counts_[slot];
  ++counts_[slot];
  hashes_[slot] = hash;
  set_text(slot, text);
}

void TopValues::rebuild(const std::vector<Entry>& entries) {
  hashes_.clear();
  counts_.clear();
  errors_.clear();
  lengths_.clear();
  truncated_.clear();
  positions_.assign(entries.size(), 0);
  texts_.assign(entries.size() * kMaxValueBytes, 0);
  index_.assign(kIndexSlots, 0);
  for (std::uint32_t slot = 0; slot < entries.size(); ++slot) {
    const Entry& e = entries[slot];
    hashes_.push_back(e.hash);
    counts_.push_back(e.count + e.error);
    errors_.push_back(e.error);
    lengths_.push_back(0);
    truncated_.push_back(0);
    set_text(slot, e.value);
    truncated_[slot] = e.truncated;
    const std::uint32_t at = find_index(e.hash);
    index_[at] = cell(e.hash, slot);
    positions_[slot] = static_cast<std::uint16_t>(at);
  }
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
  const std::uint64_t floor_this = unmonitored_max(), floor_other = other.unmonitored_max();
  std::vector<Entry> combined = entries();
  std::vector<bool> matched(other.size(), false);
  for (Entry& entry : combined) {
    const std::uint32_t at = other.find_index(entry.hash);
    if (other.index_[at] != 0) {
      const std::uint32_t theirs = slot_of(other.index_[at]);
      entry.count += other.counts_[theirs] - other.errors_[theirs];
      entry.error += other.errors_[theirs];
      matched[theirs] = true;
    } else {
      entry.error += floor_other;
    }
  }
  for (std::uint32_t i = 0; i < other.size(); ++i) {
    if (matched[i]) continue;
    Entry& entry = combined.emplace_back(other.entry(i));
    entry.error += floor_this;
  }
  std::sort(combined.begin(), combined.end(), counter_before);
  evicted_ = evicted_ || other.evicted_ || combined.size() > kCapacity;
  if (combined.size() > kCapacity) combined.resize(kCapacity);
  total_ += other.total_;
  rebuild(combined);
}

std::uint64_t TopValues::unmonitored_max() const {
  if (!evicted_) return 0;
  return *std::min_element(counts_.begin(), counts_.end());
}

std::vector<TopValues::Entry> TopValues::counted() const {
  std::vector<Entry> sorted = entries();
  std::sort(sorted.begin(), sorted.end(), ranks_before);
  return sorted;
}

TopValues::Listing TopValues::top(std::uint32_t n) const {
  Listing listing;
  std::vector<Entry> sorted = counted();
  std::size_t listed = std::min<std::size_t>(n, sorted.size());
  if (exact()) {
    listing.others_max = listed < sorted.size() ? sorted[listed].count : 0;
  } else {
    // beyond[i]: the largest upper bound among the values ranked i and below.
    std::vector<std::uint64_t> beyond(sorted.size() + 1, 0);
    for (std::size_t i = sorted.size(); i-- > 0;)
      beyond[i] = std::max(beyond[i + 1], sorted[i].count + sorted[i].error);
    const std::uint64_t unmonitored = unmonitored_max();
    // The shortest candidate, listed = 0, always qualifies.
    for (;; --listed) {
      listing.others_max = std::max(unmonitored, beyond[listed]);
      if (listed == 0 || sorted[listed - 1].count > listing.others_max) break;
    }
  }
  sorted.resize(listed);
  listing.values = std::move(sorted);
  return listing;
}

}  // namespace fastthread::sketch
