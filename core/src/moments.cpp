#include "fastthread/sketch/moments.hpp"

#include <cmath>

namespace fastthread::sketch {

void Moments::merge(const Moments& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double na = static_cast<double>(count_);
  const double nb = static_cast<double>(other.count_);
  const double n = na + nb;
  const double delta = other.mean_ - mean_;
  mean_ += delta * (nb / n);
  m2_ += other.m2_ + delta * delta * (na * nb / n);
  count_ += other.count_;
}

double Moments::variance() const {
  if (count_ < 2) return 0;
  const double v = m2_ / static_cast<double>(count_ - 1);
  return v < 0 ? 0 : v;  // NaN (from overflow) stays NaN, so it is reported as unknown
}

double Moments::stddev() const {
  return std::sqrt(variance());
}

}  // namespace fastthread::sketch
