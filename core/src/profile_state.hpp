// What a ColumnProfile keeps (internal): counts, text extremes and the sketches.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "byte_ops.hpp"
#include "fastthread/profile.hpp"
#include "fastthread/sketch/distinct.hpp"
#include "fastthread/sketch/histogram.hpp"
#include "fastthread/sketch/moments.hpp"
#include "fastthread/sketch/quantiles.hpp"
#include "fastthread/sketch/top_values.hpp"

namespace fastthread::detail {

// Longest text kept for the lexicographic min and max of a column.
inline constexpr std::size_t kMaxExtremeBytes = 256;

// A text cut to its first kMaxExtremeBytes bytes. Cutting is monotone (a <= b implies
// cut(a) <= cut(b)) and ordering by (prefix, truncated) breaks the remaining ties the way
// the full texts would, so min/max over cut texts is exact and merges exactly.
struct TextExtreme {
  // The cut text lives in place: the maximum of an increasing column (timestamps, ids)
  // is replaced on every value, so that costs a short copy, never an allocation.
  char bytes[kMaxExtremeBytes] = {};
  std::uint16_t size = 0;
  bool truncated = false;
  bool set = false;
  std::uint64_t key = 0;  // key_of(prefix())

  std::string_view prefix() const { return {bytes, size}; }

  // The first eight bytes as a big-endian number (zero-padded): when two keys differ
  // they order their texts, so most values are placed without a full comparison.
  static std::uint64_t key_of(std::string_view text) {
    if (text.size() >= 8) return big_endian_word(text.data());
    std::uint64_t key = 0;
    for (std::size_t i = 0; i < text.size(); ++i)
      key |= std::uint64_t{static_cast<unsigned char>(text[i])} << (56 - 8 * i);
    return key;
  }
  // -1, 0, 1 as `text` (whose key_of is `text_key`) orders before, equal to, after this
  // extreme.
  int compare(std::string_view text, std::uint64_t text_key) const {
    if (text_key != key) return text_key < key ? -1 : 1;
    return order(text.substr(0, kMaxExtremeBytes), text.size() > kMaxExtremeBytes);
  }
  int compare(const TextExtreme& other) const { return order(other.prefix(), other.truncated); }
  int order(std::string_view cut, bool cut_truncated) const {
    const int c = compare_bytes(cut, prefix());
    if (c != 0) return c;
    return cut_truncated == truncated ? 0 : (cut_truncated ? 1 : -1);
  }
  void assign(std::string_view text) {
    const std::size_t kept = text.size() < kMaxExtremeBytes ? text.size() : kMaxExtremeBytes;
    copy_bytes(bytes, text.data(), kept);
    size = static_cast<std::uint16_t>(kept);
    key = key_of(prefix());
    truncated = text.size() > kMaxExtremeBytes;
    set = true;
  }
  void assign(const TextExtreme& other) { *this = other; }
};

// Statistics of the values of one family seen as doubles: numbers (int64 and float64, as
// themselves) or times (dates and datetimes, as seconds since the epoch).
struct NumericStats {
  sketch::Moments moments;
  sketch::Quantiles quantiles;
  sketch::Histogram histogram;
  // Exact extremes of the int64 values (doubles cannot hold every int64).
  std::int64_t int_min = std::numeric_limits<std::int64_t>::max();
  std::int64_t int_max = std::numeric_limits<std::int64_t>::min();

  void add(double x) {
    moments.add(x);
    quantiles.add(x);
    histogram.add(x);
  }
  void merge(const NumericStats& other);
  std::uint64_t count() const { return moments.count(); }
};

constexpr std::size_t kValueTypes = 7;

}  // namespace fastthread::detail

namespace fastthread {

struct ColumnProfile::State {
  ProfileOptions options;
  std::uint64_t null_lengths = 0;  // detail::null_token_lengths(options.nulls)
  ValueType type = ValueType::null;
  std::uint64_t count = 0;
  std::uint64_t nulls = 0;
  std::array<std::uint64_t, detail::kValueTypes> type_counts{};  // indexed by ValueType
  std::uint64_t trues = 0;

  // Over the text of every non-null value.
  detail::TextExtreme text_min;
  detail::TextExtreme text_max;
  std::uint64_t min_length = std::numeric_limits<std::uint64_t>::max();  // code points
  std::uint64_t max_length = 0;
  sketch::DistinctCount distinct;
  sketch::TopValues top;

  detail::NumericStats numbers;
  detail::NumericStats times;

  std::uint64_t non_null() const { return count - nulls; }
};

}  // namespace fastthread
