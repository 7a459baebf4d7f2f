#include "fastthread/profile.hpp"

#include <algorithm>

#include "fastthread/sketch/hash.hpp"
#include "profile_state.hpp"

namespace fastthread {

namespace detail {

void NumericStats::merge(const NumericStats& other) {
  moments.merge(other.moments);
  quantiles.merge(other.quantiles);
  int_min = std::min(int_min, other.int_min);
  int_max = std::max(int_max, other.int_max);
}

}  // namespace detail

namespace {

// UTF-8 code points: every byte that does not continue a sequence starts one.
std::uint64_t code_points(std::string_view text) {
  std::uint64_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

constexpr double kSecondsPerDay = 86400.0;

}  // namespace

ColumnProfile::ColumnProfile(const ProfileOptions& options) : state_(std::make_unique<State>()) {
  state_->options = options;
}
ColumnProfile::~ColumnProfile() = default;
ColumnProfile::ColumnProfile(ColumnProfile&&) noexcept = default;
ColumnProfile& ColumnProfile::operator=(ColumnProfile&&) noexcept = default;

Value ColumnProfile::add(const Field& field) {
  if (field.kind == FieldKind::missing) return Value{};
  State& s = *state_;
  const Value value = classify(field, s.options.nulls, s.options.infer_types);
  ++s.count;
  if (value.type == ValueType::null) {
    ++s.nulls;
    return value;
  }
  ++s.type_counts[static_cast<std::size_t>(value.type)];
  s.type = promote(s.type, value.type);

  const std::string_view text = field.text;
  const std::uint64_t length = code_points(text);
  s.min_length = std::min(s.min_length, length);
  s.max_length = std::max(s.max_length, length);
  if (!s.text_min.set || s.text_min.compare(text) < 0) s.text_min.assign(text);
  if (!s.text_max.set || s.text_max.compare(text) > 0) s.text_max.assign(text);
  const std::uint64_t hash = sketch::hash64(text);
  s.distinct.add(hash);
  s.top.add(text, hash);

  switch (value.type) {
    case ValueType::boolean:
      s.trues += value.integer != 0;
      break;
    case ValueType::int64:
      s.numbers.add(value.real);
      s.numbers.int_min = std::min(s.numbers.int_min, value.integer);
      s.numbers.int_max = std::max(s.numbers.int_max, value.integer);
      break;
    case ValueType::float64:
      s.numbers.add(value.real);
      break;
    case ValueType::date:
      s.times.add(value.real * kSecondsPerDay);
      break;
    case ValueType::datetime:
      s.times.add(value.real);
      break;
    case ValueType::null:
    case ValueType::string:
      break;
  }
  return value;
}

void ColumnProfile::merge(const ColumnProfile& other) {
  State& s = *state_;
  const State& o = *other.state_;
  s.type = promote(s.type, o.type);
  s.count += o.count;
  s.nulls += o.nulls;
  for (std::size_t t = 0; t < detail::kValueTypes; ++t) s.type_counts[t] += o.type_counts[t];
  s.trues += o.trues;
  s.min_length = std::min(s.min_length, o.min_length);
  s.max_length = std::max(s.max_length, o.max_length);
  if (o.text_min.set && (!s.text_min.set || s.text_min.compare(o.text_min) < 0))
    s.text_min.assign(o.text_min);
  if (o.text_max.set && (!s.text_max.set || s.text_max.compare(o.text_max) > 0))
    s.text_max.assign(o.text_max);
  s.distinct.merge(o.distinct);
  s.top.merge(o.top);
  s.numbers.merge(o.numbers);
  s.times.merge(o.times);
}

ValueType ColumnProfile::type() const {
  return state_->type;
}
std::uint64_t ColumnProfile::count() const {
  return state_->count;
}
std::uint64_t ColumnProfile::nulls() const {
  return state_->nulls;
}

}  // namespace fastthread
