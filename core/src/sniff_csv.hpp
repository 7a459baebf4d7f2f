// Sniffing a delimited sample: which delimiter, and whether the first row is a header
// (internal, used by sniff()).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace fastthread::detail {

using SampleRecords = std::vector<std::vector<std::string>>;

// Splits `text` into records of unquoted fields (RFC 4180 quotes with '"', LF or CRLF),
// skipping blank lines, up to `max_records`. Unless `is_complete`, a last record that may
// be cut off (no line end after it, or an open quote) is dropped when it is not the only one.
SampleRecords split_sample(std::string_view text, char delimiter, bool is_complete, std::size_t max_records);

struct DelimiterGuess {
  bool found = false;  // some delimiter gives more than one field
  char delimiter = ',';
  double confidence = 0;
  std::string reason;
  SampleRecords records;  // the sample split with `delimiter`
};

// Tries ',', '\t', ';', '|' (`preferred` first when it is one of them, e.g. '\t' for a
// .tsv name) and keeps the one whose most common field count (> 1) covers the most
// records; ties go to the earlier in that order.
DelimiterGuess guess_delimiter(std::string_view text, bool is_complete, char preferred);

struct HeaderGuess {
  bool present = false;
  double confidence = 0;
  std::string reason;
};

// The rule: the first row can be a header only if its values are all non-empty, distinct,
// and none is a number or a date. Each column then votes, as Python's csv.Sniffer does:
// +1 when the later rows hold only numbers/dates/booleans there, or text of one length
// other than the header's; -1 when they hold text of the header's own length. A header is
// present when the votes are not negative, so all-text samples whose first row qualifies
// are read as having a header.
HeaderGuess guess_header(const SampleRecords& records);

// A number ([+-]digits[.digits][e[+-]digits]) or a date (YYYY-MM-DD..., D/M/YYYY).
bool looks_numeric_or_date(std::string_view text);

}  // namespace fastthread::detail
