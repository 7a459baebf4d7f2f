#include "fastthread/sketch/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace fastthread::sketch {

namespace {

static_assert((Histogram::kCells & (Histogram::kCells - 1)) == 0);
constexpr double kCellNumberLimit = 0x1p52;

// The bin of x as a reader counting exactly would place it: (x - lo) / width * bins.
std::uint32_t bin_of(double x, double lo, double width, std::uint32_t bins) {
  if (!(width > 0) || !(x > lo)) return 0;
  const double position = (x - lo) / width * bins;
  return position >= bins ? bins - 1 : static_cast<std::uint32_t>(position);
}

}  // namespace

bool Histogram::fits(int scale, double lo, double hi) const {
  const double inverse = std::ldexp(1.0, -scale);
  const double ylo = lo * inverse, yhi = hi * inverse;
  if (!(std::fabs(ylo) < kCellNumberLimit && std::fabs(yhi) < kCellNumberLimit)) return false;
  const std::int64_t a = ylo == 0 && lo < 0 ? -1 : floor_of(ylo);
  const std::int64_t b = yhi == 0 && hi < 0 ? -1 : floor_of(yhi);
  return b - a < static_cast<std::int64_t>(kCells);
}

void Histogram::rescale(double lo, double hi) {
  // Jump to lower bounds of the answer (each condition is necessary), then step up.
  int scale = scale_;
  const double magnitude = std::max(std::fabs(lo), std::fabs(hi));
  if (magnitude > 0) scale = std::max(scale, std::ilogb(magnitude) - 53);
  const double half_span = hi / 2 - lo / 2;
  if (half_span > 0) scale = std::max(scale, std::ilogb(half_span) + 1 - 13);
  while (!fits(scale, lo, hi)) ++scale;
  if (scale == scale_) return;
  if (n_ > 0) {
    const int shift = std::min(scale - scale_, 63);
    std::vector<std::uint64_t> coarse(kCells, 0);
    for (std::int64_t b = cell_of(min_), last = cell_of(max_); b <= last; ++b) {
      const std::uint64_t c = cells_[slot(b)];
      if (c != 0) coarse[slot(b >> shift)] += c;
    }
    cells_.swap(coarse);
  }
  scale_ = scale;
  inverse_width_ = std::ldexp(1.0, -scale);
}

void Histogram::add_extreme(double x) {
  if (n_ == 0) {
    cells_.assign(kCells, 0);
    scale_ = kMinScale;
    inverse_width_ = std::ldexp(1.0, -kMinScale);
    rescale(x, x);
    min_ = max_ = x;
    ++n_;
    ++cells_[slot(cell_of(x))];
    return;
  }
  // A new extreme (every value of a sorted column): most still fit the current cells.
  // (Its cell number is taken only once it is known to be exact.)
  const bool small = std::fabs(x * inverse_width_) < kCellNumberLimit;
  std::int64_t cell = small ? cell_of(x) : 0;
  const std::int64_t span = x < min_ ? cell_of(max_) - cell : cell - cell_of(min_);
  if (!small || span >= static_cast<std::int64_t>(kCells)) {
    rescale(std::min(min_, x), std::max(max_, x));
    cell = cell_of(x);
  }
  if (x < min_) {
    min_ = x;
  } else {
    max_ = x;
  }
  ++n_;
  ++cells_[slot(cell)];
}

void Histogram::merge(const Histogram& other) {
  if (other.n_ == 0) return;
  if (n_ == 0) {
    *this = other;
    return;
  }
  const double lo = std::min(min_, other.min_), hi = std::max(max_, other.max_);
  // Both go to the union's scale, the smallest that fits it, which is at least either
  // part's (the smallest that fits the part).
  Histogram theirs = other;
  rescale(lo, hi);
  theirs.rescale(lo, hi);
  for (std::int64_t b = theirs.cell_of(theirs.min_), last = theirs.cell_of(theirs.max_); b <= last; ++b)
    cells_[slot(b)] += theirs.cells_[slot(b)];
  n_ += other.n_;
  min_ = lo;
  max_ = hi;
}

Histogram::Bins Histogram::bins(std::uint32_t bins, double step) const {
  Bins out;
  out.counts.assign(bins, 0);
  if (n_ == 0 || bins == 0) return out;
  const double lo = min_, width = max_ - min_;
  const double cell_width = std::ldexp(1.0, scale_);
  std::vector<double> share(bins, 0.0);        // estimated counts
  std::vector<std::uint64_t> unsure(bins, 0);  // counts of split cells touching each bin
  for (std::int64_t b = cell_of(min_), last = cell_of(max_); b <= last; ++b) {
    const std::uint64_t c = cells_[slot(b)];
    if (c == 0) continue;
    // The values this cell can hold: [first, top], within [min, max].
    double first = std::max(static_cast<double>(b) * cell_width, min_);
    double top = std::min(std::nextafter(static_cast<double>(b + 1) * cell_width, -HUGE_VAL), max_);
    std::uint64_t choices = 0;  // possible values when they are multiples of step
    if (step > 0) {
      const double f = std::ceil(first / step) * step, t = std::floor(top / step) * step;
      if (f <= t) {
        first = f;
        top = t;
        choices = static_cast<std::uint64_t>((t - f) / step) + 1;
      }
    }
    const std::uint32_t from = bin_of(first, lo, width, bins), to = bin_of(top, lo, width, bins);
    if (from == to) {
      share[from] += static_cast<double>(c);
      continue;
    }
    // Split in proportion to the possible values on each side of each edge.
    double placed = 0;
    for (std::uint32_t k = from; k < to; ++k) {
      const double edge = lo + width * (k + 1) / bins;
      double below;  // fraction of the cell's possible values under this edge
      if (choices > 0) {
        const double under = std::ceil((edge - first) / step);
        below = std::clamp(under, 0.0, static_cast<double>(choices)) / static_cast<double>(choices);
      } else {
        below = top > first ? std::clamp((edge - first) / (top - first), 0.0, 1.0) : 0.0;
      }
      share[k] += below * static_cast<double>(c) - placed;
      placed = below * static_cast<double>(c);
    }
    share[to] += static_cast<double>(c) - placed;
    for (std::uint32_t k = from; k <= to; ++k) unsure[k] += c;
  }
  // Rounding the running total keeps the sum exact and leaves a bin of exact counts exact.
  double running = 0;
  std::uint64_t rounded_before = 0;
  for (std::uint32_t k = 0; k < bins; ++k) {
    running += share[k];
    const std::uint64_t rounded = k + 1 == bins ? n_ : static_cast<std::uint64_t>(std::llround(running));
    out.counts[k] = rounded - std::min(rounded, rounded_before);
    rounded_before = std::max(rounded, rounded_before);
    out.error = std::max(out.error, unsure[k]);
  }
  return out;
}

}  // namespace fastthread::sketch
