// Equal-width histogram of a stream of doubles, from exact counts on a fine grid.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace fastthread::sketch {

// Counts values exactly in cells of width 2^scale, cell b holding the values x with
// floor(x / 2^scale) = b. The scale is the smallest (from kMinScale up) at which the
// cells of min and max are fewer than kCells apart (and x / 2^scale stays below 2^52, so
// cell numbers are exact), so it grows as the range does: growing by one merges
// neighbouring cells in pairs, which gives exactly the counts the coarser cells would have
// had. The state is therefore a function of the multiset of values alone: merging the
// sketches of the parts of a stream gives exactly the whole's sketch, in any order, and
// the histogram comes out byte-identical (the same holds natively and in WebAssembly:
// only exact power-of-two scaling and rounding are involved).
//
// bins() cuts [min, max] into equal bins. A cell inside one bin adds its exact count to
// it. A cell that a bin edge crosses, and whose possible values (the multiples of `step`
// in the cell and in [min, max]; any double when step is 0) lie on both sides, is split
// in proportion to those values: an estimate. So a bin's count is exact unless such a
// cell touches it, and then off by at most the counts of the (at most two) crossed cells
// at its edges; `error` is the largest such bound over the bins (0: every bin exact).
// The data span at least kCells / 2 cells once the scale has grown, so each of b bins
// covers at least kCells / (2 b) cells (51 for 20 bins) and those two cells are a small
// part of it. Integers spanning fewer than kCells values (step 1: scale at most 0), or
// dates spanning fewer than about 1,500 days (step 86400 s: scale at most 16, one day a
// cell), come out exact.
// Memory: kCells counts of 8 bytes = 16 KiB, allocated at the first value.
class Histogram {
 public:
  static constexpr std::uint32_t kCells = 2048;
  static constexpr int kMinScale = -1000;

  struct Bins {
    std::vector<std::uint64_t> counts;  // they sum to count() exactly
    std::uint64_t error = 0;            // each count is within this of the truth
  };

  // x finite. Inline: a value inside the range seen so far only finds its cell.
  void add(double x) {
    x += 0.0;  // -0 is 0
    if (x >= min_ && x <= max_) {
      ++n_;
      ++cells_[slot(cell_of(x))];
    } else {
      add_extreme(x);
    }
  }
  void merge(const Histogram& other);

  std::uint64_t count() const { return n_; }
  int scale() const { return scale_; }
  // `bins` equal-width bins from min to max (the last bin includes max; with min == max
  // everything lands in the first bin), the values known to be multiples of `step` (0 if
  // not known). Needs bins > 0.
  Bins bins(std::uint32_t bins, double step) const;

 private:
  static std::size_t slot(std::int64_t cell) {
    return static_cast<std::size_t>(static_cast<std::uint64_t>(cell) & (kCells - 1));
  }
  // floor(y) for |y| < 2^52, without a library call.
  static std::int64_t floor_of(double y) {
    auto t = static_cast<std::int64_t>(y);
    return y < static_cast<double>(t) ? t - 1 : t;
  }
  std::int64_t cell_of(double x) const {
    const double y = x * inverse_width_;  // exact, or a tiny number rounded
    // A negative value too small to scale still lies in cell -1.
    return y == 0 && x < 0 ? -1 : floor_of(y);
  }
  void add_extreme(double x);  // x outside [min, max] (or the first value)
  bool fits(int scale, double lo, double hi) const;
  void rescale(double lo, double hi);  // to the smallest fitting scale, from the current one

  std::vector<std::uint64_t> cells_;  // cell b at b mod kCells: the occupied ones span fewer
  int scale_ = kMinScale;
  double inverse_width_ = 0;  // 2^-scale_, exactly
  std::uint64_t n_ = 0;
  double min_ = HUGE_VAL;  // empty: no value is inside [min_, max_]
  double max_ = -HUGE_VAL;
};

}  // namespace fastthread::sketch
