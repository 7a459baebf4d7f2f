// Per-column statistics for a whole file, built row by row and mergeable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fastthread/field.hpp"
#include "fastthread/value.hpp"

namespace fastthread {

struct ProfileOptions {
  NullTokens nulls = NullTokens::defaults();
  bool infer_types = true;
  std::uint32_t top_k = 10;          // values listed in "top"
  std::uint32_t histogram_bins = 20;
};

// The statistics of one column. add() is called once per row (with FieldKind::missing for
// rows that lack the column); merge() combines the profile of another part of the same
// column, so profile(A + B) == merge(profile(A), profile(B)) exactly for counts, nulls,
// types, min, max and lengths, up to rounding for mean and stddev, and within the stated
// sketch error for distinct, quantiles, top values and histogram.
class ColumnProfile {
 public:
  explicit ColumnProfile(const ProfileOptions& options);
  ~ColumnProfile();
  ColumnProfile(ColumnProfile&&) noexcept;
  ColumnProfile& operator=(ColumnProfile&&) noexcept;

  // Adds one value and returns its classification.
  Value add(const Field& field);
  void merge(const ColumnProfile& other);

  ValueType type() const;             // promoted type over all non-null values so far
  std::uint64_t count() const;        // values seen, nulls included, missing excluded
  std::uint64_t nulls() const;

  // The column's statistics as the "columns[]" entry of the summary (without "name"),
  // as specified in docs/summary.md.
  nlohmann::ordered_json to_json() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace fastthread
