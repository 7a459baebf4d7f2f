// Fields, rows and their places: what every parser hands to the layers below it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fastthread/error.hpp"

namespace fastthread {

// How the source spelled a value. CSV and access logs give `text` (types are inferred
// later); JSON says what a value is, so its fields arrive already kinded.
enum class FieldKind : std::uint8_t {
  missing,  // the row has no value for this column (JSON key absent)
  text,     // untyped text (CSV/TSV cell, access-log part), already unquoted
  string,   // a JSON string, already unescaped (valid UTF-8)
  number,   // a JSON number: `text` is its exact source spelling
  boolean,  // a JSON true/false: `text` is "true" or "false"
  null,     // a JSON null (`text` "null"), or an access log's "-" for an absent part (`text` "-")
  json,     // a JSON array (or an object that is not flattened): its compact JSON text
};

struct Field {
  std::string_view text;
  FieldKind kind = FieldKind::missing;
};

// Receives what a parser finds, in input order. `fields` is indexed by column number and
// is exactly as long as the column list at that moment (see Columns); it and the views in
// it are valid only during the call. The return value says whether to keep going: a
// handler returns false to stop the parser (cancel, too many errors), and the parser
// then returns from feed()/finish() without reading further.
class RowHandler {
 public:
  virtual ~RowHandler() = default;
  virtual bool on_row(std::span<const Field> fields, const Place& place) = 0;
  // A row that could not be read (it is not passed to on_row).
  virtual bool on_bad_row(const Issue& issue) = 0;
};

}  // namespace fastthread
