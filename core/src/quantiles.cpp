#include "fastthread/sketch/quantiles.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "fastthread/sketch/hash.hpp"

namespace fastthread::sketch {

namespace {

constexpr std::uint32_t kMinWidth = 8;

// Integer arithmetic, so capacities are the same everywhere.
constexpr std::uint32_t capacity_by_rule(std::size_t depth) {
  std::uint32_t cap = Quantiles::kK;
  for (std::size_t i = 0; i < depth && cap > kMinWidth; ++i) cap = cap * 2 / 3;
  return cap < kMinWidth ? kMinWidth : cap;
}

// Tabled, since compress() asks for them on every compaction; past the table's depth the
// rule has long reached kMinWidth.
constexpr std::size_t kTabledDepths = 32;
constexpr auto kCapacities = [] {
  std::array<std::uint32_t, kTabledDepths> table{};
  for (std::size_t d = 0; d < kTabledDepths; ++d) table[d] = capacity_by_rule(d);
  return table;
}();
static_assert(kCapacities[kTabledDepths - 1] == kMinWidth);

constexpr std::uint32_t capacity_at_depth(std::size_t depth) {
  return depth < kTabledDepths ? kCapacities[depth] : kMinWidth;
}

constexpr std::size_t kRankSortMax = 32;

// Level 0 is compacted a dozen items at a time once the sketch has many levels; sorting so
// few by counting each one's rank takes no unpredictable branches (insertion sort takes
// one per item). Equal items are bitwise equal (add() folds -0 into +0), so ranking them
// by position gives exactly std::sort's result.
void sort_items(std::vector<double>& items) {
  const std::size_t n = items.size();
  if (n > kRankSortMax) {
    std::sort(items.begin(), items.end());
    return;
  }
  // Each pair is compared once: the larger (the later one, if equal) ranks one higher.
  std::uint64_t rank[kRankSortMax] = {};
  const double* a = items.data();
  for (std::size_t i = 0; i < n; ++i) {
    const double x = a[i];
    std::uint64_t above = 0;
    for (std::size_t j = i + 1; j < n; ++j) {
      const std::uint64_t later_smaller = a[j] < x;
      above += later_smaller;
      rank[j] += 1 - later_smaller;
    }
    rank[i] += above;
  }
  double sorted[kRankSortMax];
  for (std::size_t i = 0; i < n; ++i) sorted[rank[i]] = a[i];
  std::copy(sorted, sorted + n, items.begin());
}

}  // namespace

std::uint32_t Quantiles::capacity(std::size_t level) const {
  return capacity_at_depth(levels_.size() - 1 - level);
}

void Quantiles::add_level() {
  levels_.emplace_back();
  compactions_.push_back(0);
  total_capacity_ = 0;
  for (std::size_t h = 0; h < levels_.size(); ++h) total_capacity_ += capacity(h);
}

void Quantiles::add(double x) {
  x += 0.0;  // -0 becomes +0, so equal items are also bitwise equal
  if (n_ == 0) {
    min_ = max_ = x;
  } else {
    min_ = std::min(min_, x);
    max_ = std::max(max_, x);
  }
  ++n_;
  if (levels_.empty()) add_level();
  levels_[0].push_back(x);
  if (++retained_ >= total_capacity_) compress();
}

void Quantiles::compress() {
  while (retained_ >= total_capacity_) {
    std::size_t h = 0;
    while (h < levels_.size() && levels_[h].size() < capacity(h)) ++h;
    if (h == levels_.size()) return;  // under every capacity: nothing to do
    if (h + 1 == levels_.size()) add_level();
    compact(h);
  }
}

// Levels above 0 are kept sorted (each promoted run is merged in), so only level 0, where
// items arrive in stream order, is ever sorted; the result is the same as sorting the
// level at compaction time.
void Quantiles::compact(std::size_t level) {
  std::vector<double>& items = levels_[level];
  if (level == 0) sort_items(items);
  // An odd item out stays behind (the smallest) so the promoted run has even length.
  const std::size_t start = items.size() % 2;
  const auto offset =
      static_cast<std::size_t>(mix64((static_cast<std::uint64_t>(level) << 40) ^ compactions_[level]++) & 1);
  const double kept = items.empty() ? 0.0 : items[0];
  // Gather the promoted run at the front of `items` (position k <= its source index).
  std::size_t promoted = 0;
  for (std::size_t i = start + offset; i < items.size(); i += 2) items[promoted++] = items[i];
  // Merge it into the sorted level above, from the back, in place.
  std::vector<double>& above = levels_[level + 1];
  std::size_t a = above.size(), b = promoted, w = a + b;
  above.resize(w);
  // Branch-free steps (the comparisons of random data do not predict).
  while (a > 0 && b > 0) {
    const double x = above[a - 1], y = items[b - 1];
    const bool from_above = x > y;
    above[--w] = from_above ? x : y;
    a -= from_above;
    b -= !from_above;
  }
  while (b > 0) above[--w] = items[--b];
  retained_ -= static_cast<std::uint32_t>(promoted);  // 2 * promoted items left, promoted arrived above
  items.resize(start);
  if (start == 1) items[0] = kept;
}

void Quantiles::merge(const Quantiles& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  n_ += other.n_;
  while (levels_.size() < other.levels_.size()) add_level();
  for (std::size_t h = 0; h < other.levels_.size(); ++h) {
    levels_[h].insert(levels_[h].end(), other.levels_[h].begin(), other.levels_[h].end());
    if (h > 0)
      std::inplace_merge(levels_[h].begin(), levels_[h].end() - other.levels_[h].size(), levels_[h].end());
  }
  retained_ += other.retained_;
  compress();
}

namespace {

struct Weighted {
  double value;
  std::uint64_t weight;
};

std::vector<Weighted> sorted_items(const std::vector<std::vector<double>>& levels) {
  std::vector<Weighted> items;
  for (std::size_t h = 0; h < levels.size(); ++h) {
    for (double v : levels[h]) items.push_back({v, std::uint64_t{1} << h});
  }
  std::sort(items.begin(), items.end(),
            [](const Weighted& a, const Weighted& b) { return a.value < b.value; });
  return items;
}

}  // namespace

double Quantiles::quantile(double q) const {
  if (n_ == 0) return 0;
  if (!(q > 0)) return min_;
  if (q >= 1) return max_;
  const double target = q * static_cast<double>(n_);
  std::uint64_t cumulative = 0;
  for (const Weighted& item : sorted_items(levels_)) {
    cumulative += item.weight;
    if (static_cast<double>(cumulative) >= target) return item.value;
  }
  return max_;
}

}  // namespace fastthread::sketch
