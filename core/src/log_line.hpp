// Reading one access-log line (Common / Combined Log Format), shared by the log parser and
// the sniffer (internal).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace fastthread::detail {

// Column names in order; the common variant uses the first kCommonLogColumns.
inline constexpr std::size_t kCommonLogColumns = 9;
inline constexpr std::size_t kCombinedLogColumns = 11;
inline constexpr std::array<std::string_view, kCombinedLogColumns> kLogColumnNames = {
    "ip", "ident", "user", "time", "method", "path", "protocol", "status", "bytes", "referer", "user_agent"};

// The parts of one line, as views into the line, except `time`, which is rewritten into
// the owner's buffer as ISO 8601 "YYYY-MM-DDTHH:MM:SS+HH:MM" (always kIsoTimeLength bytes).
inline constexpr std::size_t kIsoTimeLength = 25;
struct LogLine {
  std::string_view ip, ident, user, method, path, protocol, status, bytes, referer, user_agent;
  bool has_referer = false;     // combined only: the line went on past the size
  bool has_user_agent = false;  // combined only
  char time[kIsoTimeLength] = {};
};

// Why a line could not be read: what was expected, at which 1-based byte column of the
// line, and the column (name) that part belongs to ("" for the request).
struct LogError {
  std::string_view expected;
  std::size_t column = 0;
  std::string_view field;
};

// Reads `line` (no line end). With `combined`, a quoted referer and user agent may follow
// the size; without it anything after the size is ignored. Returns false and fills
// `error` when the line is not an access-log line. Never allocates.
bool parse_log_line(std::string_view line, bool combined, LogLine& out, LogError& error);

// Splits a request line into method, path and protocol by the rule in parser.hpp's log
// section: only when it looks like one; scanners send anything, and a line is never
// dropped for its request.
void split_request(std::string_view request, std::string_view& method, std::string_view& path,
                   std::string_view& protocol);

// Rewrites "10/Oct/2000:13:55:36 -0700" as "2000-10-10T13:55:36-07:00" into `out`.
// Returns false unless `text` is exactly that shape with valid ranges.
bool convert_log_time(std::string_view text, char (&out)[kIsoTimeLength]);

}  // namespace fastthread::detail
