// Input formats and their dialects, and the sniffer that guesses them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fastthread/encoding.hpp"

namespace fastthread {

enum class Format : std::uint8_t { csv, tsv, ndjson, json, log };

std::string_view to_string(Format format);
std::optional<Format> parse_format(std::string_view name);  // "csv", "tsv", "ndjson", "json", "log"

enum class HeaderMode : std::uint8_t { automatic, present, absent };

// What a delimited file looks like. TSV is CSV with a tab delimiter.
struct CsvDialect {
  char delimiter = ',';
  char quote = '"';
  HeaderMode header = HeaderMode::automatic;  // the sniffer turns automatic into present/absent
};

// common/combined: Apache/nginx Common and Combined Log Format; custom: read by a log
// format string (SniffRequest::log_format); w3c: W3C extended (IIS), read by its #Fields:.
enum class LogVariant : std::uint8_t { common, combined, custom, w3c };

std::string_view to_string(LogVariant variant);

// The result of sniffing: what was found, how sure (0..1), and why, in a short sentence.
struct Detected {
  Format format = Format::csv;
  CsvDialect csv;
  LogVariant log = LogVariant::combined;
  std::string log_format;  // custom: the format string as given
  bool bom = false;      // input starts with its encoding's byte order mark (never parsed)
  double confidence = 0; // 1 when the format was given rather than sniffed
  std::string reason;
  // Filled by the job's input stage, ahead of the sniffer: the input's encoding and why
  // (the sniffer reads the head transcoded to UTF-8), and whether an Excel "sep=X" first
  // line named the delimiter and was skipped.
  Encoding encoding = Encoding::utf8;
  std::string encoding_reason;
  bool sep_line = false;
};

// Guesses format and dialect from the first bytes of a file (`head` may end mid-record)
// and its name (may be empty). `is_complete` says `head` is the whole file.
// Forced choices (format, delimiter, header) are kept as given and only the rest sniffed.
// Order of checks: empty/blank -> csv, confidence 0, "empty input"; first non-space '['
// -> json; '{' -> ndjson when a one-line object is followed by a line starting with '{',
// else json; a first line starting with "#Software:", "#Version:", "#Date:", "#Remark:" or
// "#Fields:" -> log, variant w3c; more than half the lines access-log lines -> log (combined if any line has
// the referer and user agent); otherwise the delimiter among , tab ; | whose most common
// field count (> 1) covers the most records (tab -> tsv). Header: the first row must be
// all non-empty, distinct, non-numeric, non-date text; then columns vote as in Python's
// csv.Sniffer (typed values below: for; same-length text below: for if the header's
// length differs, against if equal); all-text samples with such a first row have one.
// The name's extension raises confidence when it agrees and decides when the content
// fits both (one column, a single one-line object); otherwise the content wins.
// A `sep_line` delimiter (from an Excel "sep=X" first line, not part of `head`) makes the
// format delimited with that delimiter unless format or delimiter were given.
struct SniffRequest {
  std::string_view head;
  bool is_complete = false;
  std::string_view file_name;
  std::optional<Format> format;     // nullopt: sniff
  std::optional<char> delimiter;    // nullopt: sniff (CSV/TSV only)
  HeaderMode header = HeaderMode::automatic;
  // Not empty: the lines follow this nginx/Apache format string (parser.hpp): format log,
  // variant custom, confidence 1, nothing sniffed but the BOM.
  std::string_view log_format;
  std::optional<char> sep_line;     // the delimiter a skipped "sep=X" first line names
};
Detected sniff(const SniffRequest& request);

}  // namespace fastthread
