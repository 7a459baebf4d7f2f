// The streaming parsers: bytes in, rows out, for every format.
#pragma once

#include <memory>
#include <string_view>

#include "fastthread/columns.hpp"
#include "fastthread/field.hpp"
#include "fastthread/format.hpp"
#include "fastthread/limits.hpp"

namespace fastthread {

// A parser takes the input in chunks of any size split at any byte and calls its handler
// once per row in order. Every way of cutting the same input gives the same calls with
// the same fields and places (split invariance). Memory is bounded by the largest record,
// not the input. A parser never throws on bad input: it reports a bad row and goes on.
class Parser {
 public:
  virtual ~Parser() = default;
  // Parses every record completed by `chunk`, keeps the incomplete tail. Returns false
  // when the handler asked to stop (the parser then must not be fed again).
  virtual bool feed(std::string_view chunk) = 0;
  // End of input: the last record may lack its line end. Returns false as feed() does.
  virtual bool finish() = 0;
  // Columns known so far (grows for JSON; fixed after the header for CSV/logs).
  virtual const Columns& columns() const = 0;
  // Bytes consumed so far (fed bytes, including any still buffered in a partial record).
  virtual std::uint64_t bytes() const = 0;
};

// `handler` must outlive the parser.
std::unique_ptr<Parser> make_csv_parser(const CsvDialect& dialect, bool skip_bom, const Limits& limits, RowHandler& handler);
std::unique_ptr<Parser> make_json_parser(bool ndjson, bool skip_bom, const Limits& limits, RowHandler& handler);
std::unique_ptr<Parser> make_log_parser(LogVariant variant, bool skip_bom, const Limits& limits, RowHandler& handler);

}  // namespace fastthread
