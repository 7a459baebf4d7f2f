#include "fastthread/profile.hpp"

#include <algorithm>
#include <cstring>

#include "classify_text.hpp"
#include "fastthread/sketch/hash.hpp"
#include "profile_state.hpp"

namespace fastthread {

namespace detail {

void NumericStats::merge(const NumericStats& other) {
  moments.merge(other.moments);
  quantiles.merge(other.quantiles);
  histogram.merge(other.histogram);
  int_min = std::min(int_min, other.int_min);
  int_max = std::max(int_max, other.int_max);
}

}  // namespace detail

namespace {

// UTF-8 code points: every byte that does not continue a sequence starts one. Eight
// bytes at a time: a continuation byte is 10xxxxxx, bit 7 set and bit 6 clear.
std::uint64_t code_points(std::string_view text) {
  const char* s = text.data();
  const std::size_t n = text.size();
  std::uint64_t continuations = 0;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s + i, 8);
    // One bit 7 per continuation byte; the multiply sums the bytes' 0/1 into the top byte
    // (std::popcount would be a library call without -mpopcnt).
    const std::uint64_t marks = (w & ~(w << 1) & 0x8080808080808080ull) >> 7;
    continuations += (marks * 0x0101010101010101ull) >> 56;
  }
  for (; i < n; ++i) continuations += (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  return n - continuations;
}

constexpr double kSecondsPerDay = 86400.0;

}  // namespace

ColumnProfile::ColumnProfile(const ProfileOptions& options) : state_(std::make_unique<State>()) {
  state_->options = options;
  state_->null_lengths = detail::null_token_lengths(options.nulls);
}
ColumnProfile::~ColumnProfile() = default;
ColumnProfile::ColumnProfile(ColumnProfile&&) noexcept = default;
ColumnProfile& ColumnProfile::operator=(ColumnProfile&&) noexcept = default;

Value ColumnProfile::add(const Field& field) {
  State& s = *state_;
  // Plain text that no null token is as long as skips the token comparisons. Every return
  // below returns this one object, so it is built in the caller's result in place: a
  // copy would read it back 16 bytes at a time right after classify() stored it in
  // smaller pieces, a store-forwarding stall on every value.
  const Value value = field.kind == FieldKind::missing ? Value{}
                      : field.kind == FieldKind::text && s.options.infer_types &&
                              !detail::may_be_null_token(s.null_lengths, field.text.size())
                          ? detail::classify_non_null_text(field.text)
                          : classify(field, s.options.nulls, s.options.infer_types);
  if (field.kind == FieldKind::missing) return value;
  ++s.count;
  if (value.type == ValueType::null) {
    ++s.nulls;
    return value;
  }
  ++s.type_counts[static_cast<std::size_t>(value.type)];
  if (value.type != s.type) s.type = promote(s.type, value.type);

  const std::string_view text = field.text;
  // Every typed value is spelled in ASCII (value.hpp's grammar), one code point a byte.
  const std::uint64_t length = value.type == ValueType::string ? code_points(text) : text.size();
  s.min_length = std::min(s.min_length, length);
  s.max_length = std::max(s.max_length, length);
  const std::uint64_t key = detail::TextExtreme::key_of(text);
  if (!s.text_min.set || s.text_min.compare(text, key) < 0) s.text_min.assign(text);
  if (!s.text_max.set || s.text_max.compare(text, key) > 0) s.text_max.assign(text);
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
