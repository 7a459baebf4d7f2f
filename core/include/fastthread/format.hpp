// Input formats and their dialects, and the sniffer that guesses them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

enum class LogVariant : std::uint8_t { common, combined };

// The result of sniffing: what was found, how sure (0..1), and why, in a short sentence.
struct Detected {
  Format format = Format::csv;
  CsvDialect csv;
  LogVariant log = LogVariant::combined;
  bool bom = false;      // input starts with a UTF-8 byte order mark (parsers skip it)
  double confidence = 0; // 1 when the format was given rather than sniffed
  std::string reason;
};

// Guesses format and dialect from the first bytes of a file (`head` may end mid-record)
// and its name (may be empty). `is_complete` says `head` is the whole file.
// Forced choices (format, delimiter, header) are kept as given and only the rest sniffed.
struct SniffRequest {
  std::string_view head;
  bool is_complete = false;
  std::string_view file_name;
  std::optional<Format> format;     // nullopt: sniff
  std::optional<char> delimiter;    // nullopt: sniff (CSV/TSV only)
  HeaderMode header = HeaderMode::automatic;
};
Detected sniff(const SniffRequest& request);

}  // namespace fastthread
