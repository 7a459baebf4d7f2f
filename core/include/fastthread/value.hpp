// Type inference for single values: what one field is, and its number if it has one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/field.hpp"

namespace fastthread {

// Column types, narrowest first. Promotion (see docs/summary.md):
// null + T = T; int64 + float64 = float64; date + datetime = datetime; bool, numbers
// and dates mixed with each other or with string = string.
enum class ValueType : std::uint8_t { null, boolean, int64, float64, date, datetime, string };

std::string_view to_string(ValueType type);
ValueType promote(ValueType a, ValueType b);

// Text that counts as null (compared exactly, case-sensitive). Defaults: "", "NA", "N/A",
// "null", "NULL", "None", "nan", "NaN".
struct NullTokens {
  std::vector<std::string> tokens;
  static NullTokens defaults();
  bool contains(std::string_view text) const;
};

// One classified value. `number` holds, by type: int64 and bool (0/1) exactly as int64
// in `integer`; float64 in `real`; date as days since 1970-01-01 in `integer`; datetime as
// seconds since 1970-01-01T00:00:00Z (offset applied) in `real`. `real` is also set for
// int64, date and datetime so statistics can treat every ordered type as a double.
struct Value {
  ValueType type = ValueType::null;
  std::int64_t integer = 0;
  double real = 0;
};

// Inference rules for text (FieldKind::text):
//   null      a null token
//   boolean   true/false, True/False, TRUE/FALSE
//   int64     [+-]?digits within int64, no leading zeros ("0" itself is fine)
//   float64   [+-]? digits with '.', or an exponent, or beyond int64; no leading zeros
//             before the point ("0.5" fine, "007" is a string); no inf/nan
//   date      YYYY-MM-DD (a real calendar date)
//   datetime  YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with optional Z or +-HH:MM / +-HHMM
//   string    anything else
// JSON-kinded fields keep their kind: number -> int64/float64, boolean, null; a string is
// string unless it is a date or datetime; json (arrays) is string.
Value classify(const Field& field, const NullTokens& nulls, bool infer_types);

// Formats a date (days since epoch) as YYYY-MM-DD and a datetime (seconds since epoch,
// UTC) as YYYY-MM-DDTHH:MM:SS[.fff]Z.
std::string format_date(std::int64_t days);
std::string format_datetime(double seconds);

}  // namespace fastthread
