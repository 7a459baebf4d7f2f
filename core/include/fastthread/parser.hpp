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

// Access logs (Apache/nginx Common and Combined Log Format), one line per row. Columns,
// fixed at construction: ip, ident, user, time, method, path, protocol, status, bytes, and
// for `combined` also referer, user_agent. Every field is FieldKind::text, a view into the
// line, and is kept as written: escapes inside quotes (\", \\, \xHH) are not undone,
// and "-" stays "-" (ident, user, referer, user_agent). Except:
// - time "[10/Oct/2000:13:55:36 -0700]" becomes "2000-10-10T13:55:36-07:00";
// - bytes "-" becomes "" so that it reads as null in a numeric column;
// - the request "METHOD TARGET PROTOCOL" is split in three when its first word is a method
//   token (letters, digits, '-', '_') and its last word starts with "HTTP/"; with a method
//   but no such protocol, the rest is the path and protocol is ""; anything else ("-",
//   scanner garbage) goes whole into path with method and protocol "". A line is never
//   dropped for its request.
// The combined variant also takes lines that stop after the size or the referer (what is
// absent is FieldKind::missing); the common variant ignores whatever follows the size.
// Unreadable lines are bad rows (bad_log_line saying what was expected at which column,
// invalid_utf8, record_too_large past limits.max_record_bytes counting the line without
// its '\n'); rows count them too. Blank lines are skipped but counted as lines.
std::unique_ptr<Parser> make_log_parser(LogVariant variant, bool skip_bom, const Limits& limits, RowHandler& handler);

}  // namespace fastthread
