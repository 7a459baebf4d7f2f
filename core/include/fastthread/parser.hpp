// The streaming parsers: bytes in, rows out, for every format.
#pragma once

#include <memory>
#include <string>
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
  // Columns known so far (grows for JSON and W3C logs; fixed after the header for CSV/logs).
  virtual const Columns& columns() const = 0;
  // Bytes consumed so far (fed bytes, including any still buffered in a partial record).
  virtual std::uint64_t bytes() const = 0;
};

// `handler` must outlive the parser.
std::unique_ptr<Parser> make_csv_parser(const CsvDialect& dialect, bool skip_bom, const Limits& limits, RowHandler& handler);
std::unique_ptr<Parser> make_json_parser(bool ndjson, bool skip_bom, const Limits& limits, RowHandler& handler);

// Access logs, one line per row, every field FieldKind::text and a view into the line,
// kept as written: escapes inside quotes (\", \\, \xHH) are not undone. Everywhere the
// formats write "-" for a part they do not have, the field is FieldKind::null (text "-"),
// so it is null whatever the null tokens are, in the statistics and in every output.
//
// Common and Combined Log Format (variants common, combined). Columns, fixed at
// construction: ip, ident, user, time, method, path, protocol, status, bytes, and for
// `combined` also referer, user_agent. ident, user, bytes, referer and user_agent "-" are
// null. Except:
// - time "[10/Oct/2000:13:55:36 -0700]" becomes "2000-10-10T13:55:36-07:00";
// - the request "METHOD TARGET PROTOCOL" is split in three when its first word is a method
//   token (letters, digits, '-', '_') and its last word starts with "HTTP/"; with a method
//   but no such protocol, the rest is the path and protocol is ""; anything else ("-",
//   scanner garbage) goes whole into path with method and protocol "". A line is never
//   dropped for its request.
// The combined variant also takes lines that stop after the size or the referer (what is
// absent is FieldKind::missing); the common variant ignores whatever follows the size.
//
// A log format string (variant custom, make_log_format_parser) in nginx `log_format` syntax
// ($remote_addr, ${name}) when its first '$' comes before its first '%', else in Apache
// `LogFormat` syntax (%h, %>s, %{Referer}i, %%; \" and \\ as inside LogFormat's quotes).
// It is a sequence of literals and fields; a line must match it whole. Columns, fixed at
// construction, in the order of the fields: the well-known ones take the names above
// (nginx $remote_addr ip, $remote_user user, $time_local and $time_iso8601 time,
// $request method/path/protocol, $status status, $body_bytes_sent bytes, $http_referer
// referer, $http_user_agent user_agent; Apache %h ip, %l ident, %u user, %t time, %r
// method/path/protocol, %s and %>s status, %b and %B bytes, %{X}i the header name in lower
// case with '-' as '_', so referer and user_agent), a few Apache ones a plain name (%a
// client_ip, %A local_ip, %D duration_us, %T duration_s, %{ms}T duration_ms, %O bytes_sent,
// %I bytes_received, %v vhost, %V server_name, %U uri, %q query, %H protocol, %m method,
// %p port, %P pid, %{X}o sent_x, %{X}C cookie_x, %{X}e env_x, %{X}n note_x), and any other
// its own name ($request_time request_time, $upstream_response_time likewise; an unknown
// %Z Z, %{X}Z x); a name taken twice gets "_2", "_3". $time_local and %t (which writes its
// own brackets) become ISO 8601 as above; $time_iso8601 and %{...}t are kept as written.
// $request/%r are split as above (its "-" stays a path). A field between '"'s reads up to
// the '"' a backslash does not hide; any other field reads up to the first byte of the
// literal after it (so it cannot contain that byte) or to the line's end, and must not be
// empty. A space in the format matches a run of spaces. Two fields with nothing between
// them are a malformed format, as are a '$' without a name, '%' without a directive letter
// and an unclosed '{'.
//
// W3C extended logs (variant w3c: IIS and others). Lines starting with '#' are directives,
// not rows; "#Fields:" names the columns, as written ("date", "time", "c-ip",
// "cs-method", "cs-uri-stem", "sc-status", "cs(User-Agent)", ...; "date" and "time" stay
// two columns). Data lines are values separated by spaces or tabs, a value in '"'s may
// hold spaces, "-" is null, and everything else is kept as written (IIS writes spaces in
// cs(User-Agent) as '+', and so does this). A later #Fields: line equal to the one in
// effect (IIS repeats its header on every restart) changes nothing; a different one maps
// its names to the columns by name: a name seen before keeps its column, a new one adds
// a column at the end, and a column it lacks is missing in its rows. Columns grow as
// #Fields: lines name them (none before the first). A data line before any #Fields:, or
// with more or fewer values than it names, is a bad_log_line; a #Fields: that would pass
// limits.max_columns is too_many_columns, and until the next good one data lines are bad.
//
// Unreadable lines are bad rows (bad_log_line saying what was expected at which column,
// invalid_utf8, record_too_large past limits.max_record_bytes counting the line without
// its '\n'); rows count them too. Blank lines are skipped but counted as lines.
// `variant` is not custom.
std::unique_ptr<Parser> make_log_parser(LogVariant variant, bool skip_bom, const Limits& limits, RowHandler& handler);
// The custom variant; nullptr with `error` set when `log_format` is malformed.
std::unique_ptr<Parser> make_log_format_parser(std::string_view log_format, bool skip_bom, const Limits& limits,
                                               RowHandler& handler, std::string& error);
// Why `log_format` is malformed, naming the character; "" when it is not.
std::string check_log_format(std::string_view log_format);

}  // namespace fastthread
