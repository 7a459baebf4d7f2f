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

// Inference rules for text (FieldKind::text), matched against the exact text (no trimming):
//   null      a null token
//   boolean   true/false, True/False, TRUE/FALSE (exactly these six spellings)
//   int64     [+-]?digits within int64, no leading zeros ("0", "-0", "+1" are fine)
//   float64   [+-]? digits with '.', or an exponent, or beyond int64; no leading zeros
//             before the point ("0.5", ".5", "5.", "1e5", "1E-3" fine, "007" and "00.5" are
//             strings); the exponent is [eE][+-]?digits; no inf/nan, and a value that
//             overflows a double ("1e999") is a string
//   date      YYYY-MM-DD (four-digit year, a real calendar date: 2024-02-29 yes, 2023-02-29
//             no)
//   datetime  YYYY-MM-DD[T ]HH:MM[:SS[.fraction]] with optional Z or +-HH:MM / +-HHMM;
//             HH 00-23, MM and SS 00-59 (no leap second), 1-9 fraction digits (only after
//             seconds), upper-case T and Z only; no offset means UTC
//   string    anything else
// JSON-kinded fields keep their kind: number -> int64/float64 by the rules above (a number
// outside them, e.g. 1e999, is a string), boolean, null; a string is string unless it is
// a date or datetime (null tokens do not apply to JSON strings); json (arrays) is string.
// With infer_types false nothing is inferred: every field is a string except JSON null.
// A missing field classifies as null. Never allocates.
Value classify(const Field& field, const NullTokens& nulls, bool infer_types);

// Formats a date (days since epoch) as YYYY-MM-DD and a datetime (seconds since epoch,
// UTC) as YYYY-MM-DDTHH:MM:SS[.fff]Z: rounded to the millisecond, the fraction shown only
// when it is not zero. Years outside 0000-9999 (and a non-finite datetime) give "".
std::string format_date(std::int64_t days);
std::string format_datetime(double seconds);

}  // namespace fastthread
