#include "fastthread/sketch/distinct.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace fastthread::sketch {

namespace {

constexpr std::uint32_t kRegisters = 1u << DistinctCount::kPrecision;
constexpr int kQ = 64 - DistinctCount::kPrecision;  // hash bits left for the rank
constexpr std::size_t kInitialSlots = 16;

// sigma and tau of Ertl (2017), section 4: series summed until they stop changing, which
// uses only +, * and sqrt, all exactly rounded, so every platform gets the same value.
double sigma(double x) {
  if (x == 1) return std::numeric_limits<double>::infinity();
  double y = 1, z = x;
  for (;;) {
    x *= x;
    const double previous = z;
    z += x * y;
    y += y;
    if (z == previous) return z;
  }
}

double tau(double x) {
  if (x == 0 || x == 1) return 0;
  double y = 1, z = 1 - x;
  for (;;) {
    x = std::sqrt(x);
    const double previous = z;
    y *= 0.5;
    z -= (1 - x) * (1 - x) * y;
    if (z == previous) return z / 3;
  }
}

}  // namespace

template <typename F>
void DistinctCount::for_each_exact(F&& f) const {
  if (has_zero_) f(std::uint64_t{0});
  for (std::uint64_t h : table_) {
    if (h != 0) f(h);
  }
}

void DistinctCount::add(std::uint64_t hash) {
  if (exact()) {
    insert_exact(hash);
  } else {
    add_to_registers(hash);
  }
}

void DistinctCount::insert_exact(std::uint64_t hash) {
  if (hash == 0) {
    if (!has_zero_) {
      has_zero_ = true;
      ++size_;
    }
  } else {
    if (table_.empty()) table_.assign(kInitialSlots, 0);
    const std::size_t mask = table_.size() - 1;
    std::size_t i = static_cast<std::size_t>(hash) & mask;
    while (table_[i] != 0) {
      if (table_[i] == hash) return;
      i = (i + 1) & mask;
    }
    table_[i] = hash;
    ++size_;
    // Keep the load at most one half so probes stay short.
    if (size_ * 2 > table_.size() && size_ <= kExactLimit) {
      std::vector<std::uint64_t> old(table_.size() * 2, 0);
      old.swap(table_);
      const std::size_t new_mask = table_.size() - 1;
      for (std::uint64_t h : old) {
        if (h == 0) continue;
        std::size_t j = static_cast<std::size_t>(h) & new_mask;
        while (table_[j] != 0) j = (j + 1) & new_mask;
        table_[j] = h;
      }
    }
  }
  if (size_ > kExactLimit) switch_to_registers();
}

void DistinctCount::add_to_registers(std::uint64_t hash) {
  const auto index = static_cast<std::uint32_t>(hash >> kQ);
  const std::uint64_t rest = hash << DistinctCount::kPrecision;
  const auto rank = static_cast<std::uint8_t>(rest == 0 ? kQ + 1 : std::countl_zero(rest) + 1);
  if (registers_[index] < rank) registers_[index] = rank;
}

void DistinctCount::switch_to_registers() {
  registers_.assign(kRegisters, 0);
  for_each_exact([this](std::uint64_t h) { add_to_registers(h); });
  std::vector<std::uint64_t>().swap(table_);
  size_ = 0;
  has_zero_ = false;
}

void DistinctCount::merge(const DistinctCount& other) {
  if (other.exact()) {
    other.for_each_exact([this](std::uint64_t h) { add(h); });
    return;
  }
  if (exact()) switch_to_registers();
  for (std::uint32_t i = 0; i < kRegisters; ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
  }
}

std::uint64_t DistinctCount::estimate() const {
  if (exact()) return size_;
  std::uint32_t histogram[kQ + 2] = {};
  for (std::uint8_t r : registers_) ++histogram[r];
  const double m = kRegisters;
  double z = m * tau(1 - histogram[kQ + 1] / m);
  for (int k = kQ; k >= 1; --k) z = 0.5 * (z + histogram[k]);
  z += m * sigma(histogram[0] / m);
  constexpr double kAlphaInfinity = 0.72134752044448170368;  // 1 / (2 ln 2)
  return static_cast<std::uint64_t>(std::llround(kAlphaInfinity * m * m / z));
}

}  // namespace fastthread::sketch
