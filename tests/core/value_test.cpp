#include "fastthread/value.hpp"

#include <fast_float/fast_float.h>
#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <string>

namespace fastthread {
namespace {

Value classify_text(std::string_view text) {
  static const NullTokens nulls = NullTokens::defaults();
  return classify(Field{text, FieldKind::text}, nulls, true);
}

struct Spelling {
  std::string_view text;
  ValueType type;
};

TEST(Classify, SpellingTable) {
  const Spelling table[] = {
      // null tokens (exact, case-sensitive)
      {"", ValueType::null},
      {"NA", ValueType::null},
      {"N/A", ValueType::null},
      {"null", ValueType::null},
      {"NULL", ValueType::null},
      {"None", ValueType::null},
      {"nan", ValueType::null},
      {"NaN", ValueType::null},
      {"Null", ValueType::string},
      {"na", ValueType::string},
      {" NA", ValueType::string},
      // booleans: six spellings only
      {"true", ValueType::boolean},
      {"True", ValueType::boolean},
      {"TRUE", ValueType::boolean},
      {"false", ValueType::boolean},
      {"False", ValueType::boolean},
      {"FALSE", ValueType::boolean},
      {"tRUE", ValueType::string},
      {"t", ValueType::string},
      {"yes", ValueType::string},
      {"truth", ValueType::string},
      // integers
      {"0", ValueType::int64},
      {"-0", ValueType::int64},
      {"+1", ValueType::int64},
      {"42", ValueType::int64},
      {"9223372036854775807", ValueType::int64},
      {"-9223372036854775808", ValueType::int64},
      {"9223372036854775808", ValueType::float64},
      {"-9223372036854775809", ValueType::float64},
      {"123456789012345678901234567890", ValueType::float64},
      {"007", ValueType::string},
      {"00", ValueType::string},
      {"-01", ValueType::string},
      {"+", ValueType::string},
      {"-", ValueType::string},
      {"1 ", ValueType::string},
      {" 1", ValueType::string},
      {"1,000", ValueType::string},
      {"0x10", ValueType::string},
      {"--1", ValueType::string},
      {"+-1", ValueType::string},
      // floats
      {"0.5", ValueType::float64},
      {"-0.5", ValueType::float64},
      {".5", ValueType::float64},
      {"5.", ValueType::float64},
      {"-.5", ValueType::float64},
      {"1e5", ValueType::float64},
      {"1E-3", ValueType::float64},
      {"1e+5", ValueType::float64},
      {"0e0", ValueType::float64},
      {"3.14159", ValueType::float64},
      {"1e308", ValueType::float64},
      {"1e-400", ValueType::float64},
      {"00.5", ValueType::string},
      {"01.5", ValueType::string},
      {".", ValueType::string},
      {"e5", ValueType::string},
      {"1e", ValueType::string},
      {"1e+", ValueType::string},
      {".e5", ValueType::string},
      {"1.2.3", ValueType::string},
      {"1e999", ValueType::string},
      {"inf", ValueType::string},
      {"-inf", ValueType::string},
      {"Infinity", ValueType::string},
      {"1.5f", ValueType::string},
      // dates
      {"2024-02-29", ValueType::date},
      {"2023-02-29", ValueType::string},
      {"1900-02-29", ValueType::string},
      {"2000-02-29", ValueType::date},
      {"1970-01-01", ValueType::date},
      {"2024-12-31", ValueType::date},
      {"2024-13-01", ValueType::string},
      {"2024-00-10", ValueType::string},
      {"2024-04-31", ValueType::string},
      {"2024-01-00", ValueType::string},
      {"2024-1-01", ValueType::string},
      {"24-01-01", ValueType::string},
      {"2024/01/01", ValueType::string},
      {"20240101", ValueType::int64},
      // datetimes
      {"2024-02-29T12:34", ValueType::datetime},
      {"2024-02-29 12:34", ValueType::datetime},
      {"2024-02-29T12:34:56", ValueType::datetime},
      {"2024-02-29T12:34:56Z", ValueType::datetime},
      {"2024-02-29T12:34:56.5", ValueType::datetime},
      {"2024-02-29T12:34:56.123456789Z", ValueType::datetime},
      {"2024-02-29T12:34:56+02:00", ValueType::datetime},
      {"2024-02-29T12:34:56-0530", ValueType::datetime},
      {"2024-02-29T12:34Z", ValueType::datetime},
      {"2024-02-29T23:59:59.999+14:00", ValueType::datetime},
      {"2024-02-29T24:00", ValueType::string},
      {"2024-02-29T12:60", ValueType::string},
      {"2024-02-29T12:34:60", ValueType::string},
      {"2024-02-29T12:34:56.", ValueType::string},
      {"2024-02-29T12:34:56.1234567890", ValueType::string},
      {"2024-02-29T12:34.5", ValueType::string},
      {"2024-02-29t12:34", ValueType::string},
      {"2024-02-29T12:34z", ValueType::string},
      {"2024-02-29T12:34+2", ValueType::string},
      {"2024-02-29T12:34+02", ValueType::string},
      {"2024-02-29T12:34+24:00", ValueType::string},
      {"2024-02-29T1:34", ValueType::string},
      {"2024-02-29T", ValueType::string},
      {"2023-02-29T00:00", ValueType::string},
      // strings
      {"hello", ValueType::string},
      {"12abc", ValueType::string},
      {"héllo", ValueType::string},
  };
  for (const auto& [text, type] : table) {
    EXPECT_EQ(to_string(classify_text(text).type), to_string(type)) << "text: \"" << text << "\"";
  }
}

TEST(Classify, NumbersCarryTheirValue) {
  EXPECT_EQ(classify_text("9223372036854775807").integer, INT64_MAX);
  EXPECT_EQ(classify_text("-9223372036854775808").integer, INT64_MIN);
  EXPECT_EQ(classify_text("+17").integer, 17);
  EXPECT_EQ(classify_text("-0").integer, 0);
  EXPECT_DOUBLE_EQ(classify_text("-42").real, -42.0);
  EXPECT_DOUBLE_EQ(classify_text("1E-3").real, 0.001);
  EXPECT_DOUBLE_EQ(classify_text(".5").real, 0.5);
  EXPECT_DOUBLE_EQ(classify_text("5.").real, 5.0);
  EXPECT_DOUBLE_EQ(classify_text("9223372036854775808").real, 9223372036854775808.0);
  EXPECT_EQ(classify_text("True").integer, 1);
  EXPECT_EQ(classify_text("FALSE").integer, 0);
}

// Plain decimals take a fast path; it must give bit for bit the double that a correctly
// rounding parser (fast_float, also used for every other spelling) gives, and the same
// int64s as std::from_chars, across lengths on both sides of its 15-digit limit.
TEST(Classify, PlainNumbersMatchTheGeneralParsers) {
  std::uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  for (int i = 0; i < 200000; ++i) {
    std::string text = next() % 4 == 0 ? "-" : "";
    const auto int_digits = next() % 18, frac_digits = next() % 18;
    for (std::uint64_t d = 0; d < int_digits; ++d)
      text.push_back(static_cast<char>('0' + (d == 0 ? 1 + next() % 9 : next() % 10)));
    const bool decimal = next() % 3 != 0;
    if (decimal) text.push_back('.');
    for (std::uint64_t d = 0; decimal && d < frac_digits; ++d)
      text.push_back(static_cast<char>('0' + next() % 10));
    if (text.empty()) continue;  // a null token
    const Value v = classify_text(text);
    const char* first = text.data();
    const char* last = first + text.size();
    if (!decimal && int_digits > 0) {
      std::int64_t expected = 0;
      std::from_chars(first, last, expected);
      ASSERT_EQ(v.type, ValueType::int64) << text;
      ASSERT_EQ(v.integer, expected) << text;
    } else if (decimal && int_digits + frac_digits > 0) {
      double expected = 0;
      fast_float::from_chars(first, last, expected);
      ASSERT_EQ(v.type, ValueType::float64) << text;
      ASSERT_EQ(std::bit_cast<std::uint64_t>(v.real), std::bit_cast<std::uint64_t>(expected)) << text;
    } else {
      ASSERT_EQ(v.type, ValueType::string) << text;
    }
  }
}

TEST(Classify, DatesAndDatetimesCarryEpochValues) {
  EXPECT_EQ(classify_text("1970-01-01").integer, 0);
  EXPECT_EQ(classify_text("2024-02-29").integer, 19782);
  EXPECT_EQ(classify_text("1969-12-31").integer, -1);
  EXPECT_EQ(classify_text("0000-03-01").integer, -719468);
  EXPECT_DOUBLE_EQ(classify_text("2024-02-29").real, 19782.0);
  EXPECT_DOUBLE_EQ(classify_text("1970-01-01T00:00:01Z").real, 1.0);
  EXPECT_DOUBLE_EQ(classify_text("2024-02-29T12:34:56Z").real, 19782 * 86400.0 + 45296);
  EXPECT_DOUBLE_EQ(classify_text("2024-02-29T12:34:56").real, 19782 * 86400.0 + 45296);
  EXPECT_DOUBLE_EQ(classify_text("2024-02-29T14:34:56+02:00").real, 19782 * 86400.0 + 45296);
  EXPECT_DOUBLE_EQ(classify_text("2024-02-29T07:04:56-0530").real, 19782 * 86400.0 + 45296);
  EXPECT_DOUBLE_EQ(classify_text("1970-01-01T00:00:00.25Z").real, 0.25);
  EXPECT_DOUBLE_EQ(classify_text("1970-01-01 00:01").real, 60.0);
}

TEST(Classify, JsonKindsKeepTheirKind) {
  const NullTokens nulls = NullTokens::defaults();
  const auto kinded = [&](std::string_view text, FieldKind kind) {
    return classify(Field{text, kind}, nulls, true);
  };
  EXPECT_EQ(kinded("12", FieldKind::number).type, ValueType::int64);
  EXPECT_EQ(kinded("-0", FieldKind::number).type, ValueType::int64);
  EXPECT_EQ(kinded("1.0", FieldKind::number).type, ValueType::float64);
  EXPECT_EQ(kinded("1e999", FieldKind::number).type, ValueType::string);
  EXPECT_EQ(kinded("12", FieldKind::string).type, ValueType::string);
  EXPECT_EQ(kinded("NA", FieldKind::string).type, ValueType::string);
  EXPECT_EQ(kinded("", FieldKind::string).type, ValueType::string);
  EXPECT_EQ(kinded("true", FieldKind::string).type, ValueType::string);
  EXPECT_EQ(kinded("2024-02-29", FieldKind::string).type, ValueType::date);
  EXPECT_EQ(kinded("2024-02-29T00:00Z", FieldKind::string).type, ValueType::datetime);
  EXPECT_EQ(kinded("true", FieldKind::boolean).integer, 1);
  EXPECT_EQ(kinded("false", FieldKind::boolean).type, ValueType::boolean);
  EXPECT_EQ(kinded("null", FieldKind::null).type, ValueType::null);
  EXPECT_EQ(kinded("[1,2]", FieldKind::json).type, ValueType::string);
  EXPECT_EQ(kinded("", FieldKind::missing).type, ValueType::null);
}

TEST(Classify, TypesOffMakesEverythingTextButJsonNull) {
  const NullTokens nulls = NullTokens::defaults();
  EXPECT_EQ(classify(Field{"12", FieldKind::text}, nulls, false).type, ValueType::string);
  EXPECT_EQ(classify(Field{"NA", FieldKind::text}, nulls, false).type, ValueType::string);
  EXPECT_EQ(classify(Field{"12", FieldKind::number}, nulls, false).type, ValueType::string);
  EXPECT_EQ(classify(Field{"true", FieldKind::boolean}, nulls, false).type, ValueType::string);
  EXPECT_EQ(classify(Field{"2024-01-01", FieldKind::string}, nulls, false).type, ValueType::string);
  EXPECT_EQ(classify(Field{"null", FieldKind::null}, nulls, false).type, ValueType::null);
}

TEST(Classify, CustomNullTokens) {
  const NullTokens nulls{{"-", "missing"}};
  EXPECT_EQ(classify(Field{"-", FieldKind::text}, nulls, true).type, ValueType::null);
  EXPECT_EQ(classify(Field{"missing", FieldKind::text}, nulls, true).type, ValueType::null);
  EXPECT_EQ(classify(Field{"NA", FieldKind::text}, nulls, true).type, ValueType::string);
  EXPECT_EQ(classify(Field{"", FieldKind::text}, nulls, true).type, ValueType::string);
}

TEST(Promote, FollowsTheDocumentedLattice) {
  using T = ValueType;
  EXPECT_EQ(promote(T::null, T::int64), T::int64);
  EXPECT_EQ(promote(T::date, T::null), T::date);
  EXPECT_EQ(promote(T::int64, T::float64), T::float64);
  EXPECT_EQ(promote(T::float64, T::int64), T::float64);
  EXPECT_EQ(promote(T::date, T::datetime), T::datetime);
  EXPECT_EQ(promote(T::datetime, T::date), T::datetime);
  EXPECT_EQ(promote(T::boolean, T::int64), T::string);
  EXPECT_EQ(promote(T::int64, T::date), T::string);
  EXPECT_EQ(promote(T::float64, T::datetime), T::string);
  EXPECT_EQ(promote(T::string, T::int64), T::string);
  EXPECT_EQ(promote(T::boolean, T::boolean), T::boolean);
  // Associative, so merging partial profiles gives the whole's type.
  const T all[] = {T::null, T::boolean, T::int64, T::float64, T::date, T::datetime, T::string};
  for (T a : all)
    for (T b : all)
      for (T c : all) EXPECT_EQ(promote(promote(a, b), c), promote(a, promote(b, c)));
}

TEST(Format, DatesRoundTrip) {
  EXPECT_EQ(format_date(0), "1970-01-01");
  EXPECT_EQ(format_date(19782), "2024-02-29");
  EXPECT_EQ(format_date(-1), "1969-12-31");
  EXPECT_EQ(format_date(-719528), "0000-01-01");
  EXPECT_EQ(format_date(-719529), "");
  EXPECT_EQ(format_date(2932896), "9999-12-31");
  EXPECT_EQ(format_date(2932897), "");
  // Every day of 1890-2110 survives classify -> format.
  for (std::int64_t d = -29219; d < 51500; ++d) {
    const std::string text = format_date(d);
    ASSERT_EQ(classify_text(text).integer, d) << text;
  }
}

TEST(Format, Datetimes) {
  EXPECT_EQ(format_datetime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_datetime(19782 * 86400.0 + 45296), "2024-02-29T12:34:56Z");
  EXPECT_EQ(format_datetime(0.25), "1970-01-01T00:00:00.250Z");
  EXPECT_EQ(format_datetime(-0.001), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_datetime(59.9996), "1970-01-01T00:01:00Z");
  EXPECT_EQ(format_datetime(std::nan("")), "");
  EXPECT_EQ(format_datetime(1e300), "");
  EXPECT_EQ(format_datetime(classify_text("2024-02-29T14:34:56.5+02:00").real), "2024-02-29T12:34:56.500Z");
}

TEST(ValueType, Names) {
  EXPECT_EQ(to_string(ValueType::null), "null");
  EXPECT_EQ(to_string(ValueType::boolean), "bool");
  EXPECT_EQ(to_string(ValueType::int64), "int64");
  EXPECT_EQ(to_string(ValueType::float64), "float64");
  EXPECT_EQ(to_string(ValueType::date), "date");
  EXPECT_EQ(to_string(ValueType::datetime), "datetime");
  EXPECT_EQ(to_string(ValueType::string), "string");
}

}  // namespace
}  // namespace fastthread
