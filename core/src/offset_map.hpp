// From offsets in the transcoded UTF-8 the parsers read back to offsets in the input as
// given (internal), so that places count the bytes the user has.
//
// The transcoder describes its output as runs of characters of one width: `count`
// characters, each `in` input bytes becoming `out` UTF-8 bytes (a BOM or a skipped line
// is one character with `out` 0). Places come in non-decreasing order (rows are reported
// in input order), so a lookup consumes the runs before it: the map holds only the runs
// between the last place looked up and the end of what was transcoded, which the job
// keeps short by transcoding in slices. Memory: 12 bytes per change of character width in
// that stretch, at most kMaxRuns runs; past that (one record with more than kMaxRuns
// width changes) the oldest runs are merged in pairs, and a place inside a merged run is
// reported at the merged run's start, earlier than the true place by less than the width
// of what was merged.
#pragma once

#include <cstdint>
#include <deque>

namespace fastthread::detail {

class OffsetMap {
 public:
  static constexpr std::size_t kMaxRuns = 1 << 18;

  void add(std::uint32_t in, std::uint32_t out, std::uint32_t count = 1) {
    if (!runs_.empty()) {
      Run& last = runs_.back();
      if (last.in == in && last.out == out && last.count <= UINT32_MAX - count) {
        last.count += count;
        return;
      }
    }
    runs_.push_back({count, in, out});
    if (runs_.size() > kMaxRuns) coarsen();
  }

  // The input offset of transcoded offset `out` (an offset inside a multi-byte character
  // gives the character's first input byte). Consumes the runs before `out`: a later
  // call must not ask for less (it would get the offset of `out`).
  std::uint64_t input_offset(std::uint64_t out) {
    if (out < out_) return in_;
    while (!runs_.empty()) {
      Run& r = runs_.front();
      const std::uint64_t span = static_cast<std::uint64_t>(r.count) * r.out;
      if (out - out_ < span) {
        const std::uint64_t k = (out - out_) / r.out;
        r.count -= static_cast<std::uint32_t>(k);
        out_ += k * r.out;
        in_ += k * r.in;
        return in_;
      }
      out_ += span;
      in_ += static_cast<std::uint64_t>(r.count) * r.in;
      runs_.pop_front();
    }
    return in_ + (out - out_);
  }

  // The same without consuming anything (for an offset inside a record already placed).
  std::uint64_t peek(std::uint64_t out) const {
    if (out < out_) return in_;
    std::uint64_t at_out = out_, at_in = in_;
    for (const Run& r : runs_) {
      const std::uint64_t span = static_cast<std::uint64_t>(r.count) * r.out;
      if (out - at_out < span) return at_in + (out - at_out) / r.out * r.in;
      at_out += span;
      at_in += static_cast<std::uint64_t>(r.count) * r.in;
    }
    return at_in + (out - at_out);
  }

  std::size_t runs() const { return runs_.size(); }

 private:
  struct Run {
    std::uint32_t count, in, out;
  };

  // Merges neighbouring runs in the older half into runs of one "character" each; the
  // total offsets at every kept boundary stay exact.
  void coarsen() {
    std::deque<Run> merged;
    const std::size_t half = runs_.size() / 2;
    std::size_t i = 0;
    for (; i + 1 < half; i += 2) {
      const Run& a = runs_[i];
      const Run& b = runs_[i + 1];
      const std::uint64_t in = static_cast<std::uint64_t>(a.count) * a.in + static_cast<std::uint64_t>(b.count) * b.in;
      const std::uint64_t out = static_cast<std::uint64_t>(a.count) * a.out + static_cast<std::uint64_t>(b.count) * b.out;
      if (in > UINT32_MAX || out > UINT32_MAX || out == 0) {
        merged.push_back(a);
        merged.push_back(b);
      } else {
        merged.push_back({1, static_cast<std::uint32_t>(in), static_cast<std::uint32_t>(out)});
      }
    }
    for (; i < runs_.size(); ++i) merged.push_back(runs_[i]);
    runs_.swap(merged);
  }

  std::deque<Run> runs_;
  std::uint64_t out_ = 0;  // transcoded offset where runs_.front() starts
  std::uint64_t in_ = 0;   // its input offset
};

}  // namespace fastthread::detail
