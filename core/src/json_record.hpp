// One complete JSON record (an NDJSON line or an array element) -> one flattened row.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/columns.hpp"
#include "fastthread/field.hpp"
#include "fastthread/limits.hpp"
#include "json_column_index.hpp"

namespace fastthread::detail {

// Why a record could not be read. `offset` is the absolute input offset of the offending
// byte (the end of the record when it ended too soon).
struct JsonProblem {
  ErrorCode code = ErrorCode::bad_json;  // bad_json, invalid_utf8, too_deep, not_an_object, too_many_columns
  std::string message;
  std::uint64_t offset = 0;
  std::string column;
};

// Strict RFC 8259 parsing of a record held whole in memory (the framing layer has already
// cut the stream into records), flattening nested objects into dotted column names:
//  - {"a":{"b":1}} -> column "a.b"; an empty nested object -> "{}" (json) in column "a";
//  - arrays, and objects inside arrays, -> their compact JSON text (json), in the canonical
//    form: no whitespace, numbers verbatim, strings escaped with \" \\ \b \f \n \r \t and
//    \u00XX (lowercase hex) for other control characters, everything else raw UTF-8;
//  - strings are unescaped, numbers keep their exact spelling, literals are their text;
//  - a key given twice (or two paths that flatten to the same name, e.g. "a.b" and
//    {"a":{"b":..}}) -> the value met last wins.
// Field views point into the record text or into scratch memory kept until clear_row().
// Nesting is followed on explicit stacks, never by recursion, so no max_json_depth a
// client sets can overflow the C++ stack; memory grows with the record only.
class JsonRecordParser {
 public:
  // `end_name` is how messages name the end of a record ("end of line", "end of input");
  // `trailer` says what may follow the value ("end of line", "',' or ']' after array element").
  JsonRecordParser(const Limits& limits, Columns& columns, std::string_view end_name,
                   std::string_view trailer);

  // Parses `text`, which starts at absolute offset `base`. True: fields() holds the row
  // and its new columns are interned. False: problem() says why; Columns is unchanged.
  bool parse(std::string_view text, std::uint64_t base);
  std::span<const Field> fields() const { return fields_; }
  // Resets the row once the handler has seen it (call after every successful parse()).
  void clear_row();
  const JsonProblem& problem() const { return problem_; }
  // Changes how messages name the end of the record (an array element written as a bare
  // scalar ends at the byte after it, e.g. ',').
  void set_end_name(std::string end_name) { end_name_ = std::move(end_name); }

 private:
  bool parse_object();
  bool leave_object();
  bool parse_member_value(std::string_view key);
  bool set_field(std::string_view key, Field field);
  bool write_value(std::uint64_t depth);
  bool write_key(bool first);
  bool write_scalar();
  template <bool Canonical>
  bool scan_string(std::string_view* result, char*& out);
  bool scan_escape(const char*& s, char*& out, bool canonical);
  bool scan_number();
  bool scan_literal(std::string_view word);
  void skip_space();
  bool fail(ErrorCode code, const char* at, std::string message);
  std::string found(const char* at) const;

  const Limits& limits_;
  std::string end_name_;
  std::string trailer_;
  JsonColumnIndex index_;
  std::vector<Field> fields_;           // exactly index_.size() long while parsing
  std::vector<std::uint32_t> touched_;  // columns set in this row, to reset them cheaply
  std::string scratch_;                 // unescaped strings and array texts of this row
  std::string key_scratch_;             // the current key when it has escapes
  std::string path_;                    // "a.b." while inside {"a":{"b":{...}}}
  std::vector<std::size_t> parents_;    // path_'s size before each enclosing nested object
  std::string closes_;                  // closing brackets of the open containers in an array
  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* key_at_ = nullptr;  // the key being read (too_many_columns points at it)
  char* out_ = nullptr;           // write position in scratch_
  std::uint64_t base_ = 0;
  std::uint32_t ordinal_ = 0;  // keys met so far in the row (for JsonColumnIndex's cache)
  JsonProblem problem_;
};

}  // namespace fastthread::detail
