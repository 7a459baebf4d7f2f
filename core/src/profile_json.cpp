// ColumnProfile::to_json: the shape documented in docs/summary-columns.md.
#include <cmath>
#include <limits>

#include "fastthread/profile.hpp"
#include "json_build.hpp"
#include "profile_state.hpp"
#include "utf8.hpp"

namespace fastthread {

namespace {

using json = nlohmann::ordered_json;
using detail::array_with;
using detail::object_with;
using detail::put;

constexpr double kSecondsPerDay = 86400.0;

// JSON has no NaN or infinity: they become null.
json finite(double x) {
  return std::isfinite(x) ? json(x) : json(nullptr);
}

// Valid UTF-8 for the JSON writer: a sequence cut by truncation is dropped, any other
// invalid byte becomes U+FFFD.
std::string valid_utf8(std::string_view text, bool truncated) {
  if (truncated) {
    std::size_t start = text.size();
    while (start > 0 && (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80) --start;
    if (start > 0 && static_cast<unsigned char>(text[start - 1]) >= 0xC0 &&
        detail::find_invalid_utf8(text.substr(start - 1)) != std::string_view::npos) {
      text = text.substr(0, start - 1);
    }
  }
  std::string out;
  for (;;) {
    const std::size_t bad = detail::find_invalid_utf8(text);
    if (bad == std::string_view::npos) break;
    out.append(text.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    text.remove_prefix(bad + 1);
  }
  out.append(text);
  return out;
}

// A value of a numeric family in the family's type: int64 numbers as integers, dates and
// datetimes formatted, float64 as doubles.
json family_value(ValueType type, double x) {
  switch (type) {
    case ValueType::int64: {
      // Clamped: 2^63 as a double does not convert back to int64.
      if (!(x < 9223372036854775807.0)) return std::numeric_limits<std::int64_t>::max();
      if (!(x > -9223372036854775808.0)) return std::numeric_limits<std::int64_t>::min();
      return static_cast<std::int64_t>(x);
    }
    case ValueType::date:
      return format_date(static_cast<std::int64_t>(std::floor(x / kSecondsPerDay + 0.5)));
    case ValueType::datetime:
      return format_datetime(x);
    default:
      return finite(x);
  }
}

// Exact extremes: int64 ones from the integers themselves, not from doubles.
json family_min(const detail::NumericStats& stats, ValueType type) {
  return type == ValueType::int64 ? json(stats.int_min) : family_value(type, stats.quantiles.min());
}
json family_max(const detail::NumericStats& stats, ValueType type) {
  return type == ValueType::int64 ? json(stats.int_max) : family_value(type, stats.quantiles.max());
}

// Dates are whole days; every int64 is an integer: the histogram may count on that.
double value_step(ValueType type) {
  if (type == ValueType::int64) return 1.0;
  if (type == ValueType::date) return kSecondsPerDay;
  return 0.0;
}

json numeric_json(const detail::NumericStats& stats, ValueType type, std::uint32_t bins) {
  const auto& q = stats.quantiles;
  json out = object_with(12);
  put(out, "type", to_string(type));
  put(out, "count", stats.count());
  json min = family_min(stats, type);
  json max = family_max(stats, type);
  put(out, "min", min);
  put(out, "max", max);
  if (type == ValueType::int64 || type == ValueType::float64) {
    put(out, "mean", finite(stats.moments.mean()));
  } else {
    put(out, "mean", family_value(type, stats.moments.mean()));
  }
  const double stddev_unit = type == ValueType::date ? kSecondsPerDay : 1.0;
  put(out, "stddev", finite(stats.moments.stddev() / stddev_unit));
  put(out, "stddev_unit",
      type == ValueType::date ? json("days") : type == ValueType::datetime ? json("seconds") : json(nullptr));
  put(out, "p50", family_value(type, q.quantile(0.50)));
  put(out, "p90", family_value(type, q.quantile(0.90)));
  put(out, "p99", family_value(type, q.quantile(0.99)));
  put(out, "rank_error", q.exact() ? 0.0 : sketch::Quantiles::kRankError);
  auto histogram_bins = stats.histogram.bins(bins, value_step(type));
  json histogram = object_with(5);
  put(histogram, "min", std::move(min));
  put(histogram, "max", std::move(max));
  put(histogram, "counts", std::move(histogram_bins.counts));
  put(histogram, "approximate", histogram_bins.error > 0);
  put(histogram, "error", histogram_bins.error);
  put(out, "histogram", std::move(histogram));
  return out;
}

}  // namespace

json ColumnProfile::to_json() const {
  const State& s = *state_;
  const auto typed = [&](ValueType t) { return s.type_counts[static_cast<std::size_t>(t)]; };
  const std::uint64_t number_count = s.numbers.count(), time_count = s.times.count();
  const ValueType number_type = typed(ValueType::float64) > 0 ? ValueType::float64 : ValueType::int64;
  const ValueType time_type = typed(ValueType::datetime) > 0 ? ValueType::datetime : ValueType::date;

  json out = object_with(11);
  put(out, "type", to_string(s.type));
  put(out, "count", s.count);
  put(out, "nulls", s.nulls);
  json types = object_with(detail::kValueTypes - 1);
  for (std::size_t t = 1; t < detail::kValueTypes; ++t) {
    if (s.type_counts[t] > 0) put(types, to_string(static_cast<ValueType>(t)), s.type_counts[t]);
  }
  put(out, "types", std::move(types));

  bool truncated = false;
  switch (s.type) {
    case ValueType::null:
      put(out, "min", nullptr);
      put(out, "max", nullptr);
      break;
    case ValueType::boolean:
      put(out, "min", s.trues == typed(ValueType::boolean));  // true only if no false was seen
      put(out, "max", s.trues > 0);
      break;
    case ValueType::int64:
    case ValueType::float64:
      put(out, "min", family_min(s.numbers, number_type));
      put(out, "max", family_max(s.numbers, number_type));
      break;
    case ValueType::date:
    case ValueType::datetime:
      put(out, "min", family_min(s.times, time_type));
      put(out, "max", family_max(s.times, time_type));
      break;
    case ValueType::string:
      put(out, "min", valid_utf8(s.text_min.prefix(), s.text_min.truncated));
      put(out, "max", valid_utf8(s.text_max.prefix(), s.text_max.truncated));
      truncated = s.text_min.truncated || s.text_max.truncated;
      break;
  }
  if (s.non_null() > 0) {
    json length = object_with(2);
    put(length, "min", s.min_length);
    put(length, "max", s.max_length);
    put(out, "length", std::move(length));
  } else {
    put(out, "length", nullptr);
  }

  const bool distinct_exact = s.distinct.exact();
  json distinct = object_with(3);
  put(distinct, "value", s.distinct.estimate());
  put(distinct, "exact", distinct_exact);
  put(distinct, "error", distinct_exact ? 0.0 : sketch::DistinctCount::kStandardError);
  put(out, "distinct", std::move(distinct));
  // Every value distinct is claimed only when the distinct count is exact and equals the
  // number of values (a hash collision could only lower the count, never fake this).
  // One value alone is distinct too, but saying so tells nothing: it is listed with its count.
  const bool all_distinct = distinct_exact && s.non_null() > 1 && s.distinct.estimate() == s.non_null();
  auto listing = s.top.top(all_distinct ? 0 : s.options.top_k);
  json values = array_with(listing.values.size());
  for (const auto& entry : listing.values) {
    truncated = truncated || entry.truncated;
    json value = object_with(3);
    put(value, "value", valid_utf8(entry.value, entry.truncated));
    put(value, "count", entry.count);
    put(value, "error", entry.error);
    values.push_back(std::move(value));
  }
  json top_json = object_with(4);
  put(top_json, "exact", s.top.exact());
  put(top_json, "all_distinct", all_distinct);
  put(top_json, "values", std::move(values));
  put(top_json, "others_max", all_distinct ? std::uint64_t{1} : listing.others_max);
  put(out, "top", std::move(top_json));
  put(out, "truncated", truncated);

  if (number_count > 0 && number_count >= time_count) {
    put(out, "numeric", numeric_json(s.numbers, number_type, s.options.histogram_bins));
  } else if (time_count > 0) {
    put(out, "numeric", numeric_json(s.times, time_type, s.options.histogram_bins));
  } else {
    put(out, "numeric", nullptr);
  }
  return out;
}

}  // namespace fastthread
