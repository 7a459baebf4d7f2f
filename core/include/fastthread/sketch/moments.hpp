// Count, mean and variance of a stream of doubles, one pass and mergeable.
#pragma once

#include <cstdint>

namespace fastthread::sketch {

// Welford's update for add(); Chan, Golub and LeVeque's pairwise formula for merge(), so
// merging the moments of the parts of a stream gives those of the whole up to rounding.
class Moments {
 public:
  void add(double x) {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
  }
  void merge(const Moments& other);

  std::uint64_t count() const { return count_; }
  double mean() const { return mean_; }  // 0 when empty
  // Sample variance (divides by n - 1); 0 for fewer than two values.
  double variance() const;
  double stddev() const;

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0;
  double m2_ = 0;  // sum of squared differences from the mean
};

}  // namespace fastthread::sketch
