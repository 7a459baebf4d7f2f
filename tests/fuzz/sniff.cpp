// The sniffer: encoding, then format and dialect, from a file's first bytes. Beyond not
// crashing, what was given must be kept and the confidence must be a share.
// Input: [option byte A][option byte B][the head].
#include <cstdio>
#include <cstdlib>

#include "encoding_detect.hpp"
#include "fastthread/format.hpp"
#include "fastthread/parser.hpp"

namespace {

void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "sniff: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fastthread;
  if (size < 2) return 0;
  const std::uint8_t a = data[0], b = data[1];
  const std::string_view head(reinterpret_cast<const char*>(data) + 2, size - 2);
  const bool is_complete = (a & 1) != 0;

  static constexpr Encoding kEncodings[] = {Encoding::utf8, Encoding::utf16le, Encoding::utf16be,
                                            Encoding::windows1252, Encoding::latin1};
  std::optional<Encoding> given_encoding;
  if ((b & 7) < 5) given_encoding = kEncodings[b & 7];
  const detail::EncodingGuess encoding = detail::detect_encoding(head, is_complete, given_encoding);
  expect(!given_encoding || encoding.encoding == *given_encoding, "a given encoding was not kept");
  expect(encoding.bom_bytes <= head.size(), "the BOM is longer than the head");
  expect(encoding.confidence >= 0 && encoding.confidence <= 1, "encoding confidence is not in [0, 1]");
  expect(!encoding.reason.empty(), "no reason for the encoding");

  static constexpr const char* kNames[] = {
      "", "data.csv", "data.tsv", "data.json", "data.ndjson", "access.log", "notes.txt", "data.csv.gz"};
  static constexpr Format kFormats[] = {Format::csv, Format::tsv, Format::ndjson, Format::json, Format::log};
  static constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  static constexpr HeaderMode kHeaders[] = {HeaderMode::automatic, HeaderMode::present, HeaderMode::absent,
                                            HeaderMode::automatic};
  SniffRequest request;
  request.head = head;
  request.is_complete = is_complete;
  request.file_name = kNames[(a >> 1) & 7];
  if (((a >> 4) & 7) < 5) request.format = kFormats[(a >> 4) & 7];
  if ((b & 8) != 0) request.delimiter = kDelimiters[(b >> 4) & 3];
  request.header = kHeaders[(b >> 6) & 3];
  if ((a & 128) != 0) request.sep_line = kDelimiters[(b >> 4) & 3];
  // A log format string: the head's first line, when it is one.
  std::string log_format;
  if ((b & 8) == 0 && (b & 16) != 0) {
    log_format = std::string(head.substr(0, head.find('\n')));
    if (check_log_format(log_format).empty()) request.log_format = log_format;
  }

  const Detected detected = sniff(request);
  if (request.log_format.empty() && request.format)
    expect(detected.format == *request.format, "a given format was not kept");
  if (request.delimiter)
    expect(detected.csv.delimiter == *request.delimiter, "a given delimiter was not kept");
  if (request.header != HeaderMode::automatic)
    expect(detected.csv.header == request.header, "a given header mode was not kept");
  expect(detected.confidence >= 0 && detected.confidence <= 1, "format confidence is not in [0, 1]");
  expect(!detected.reason.empty(), "no reason for the format");
  return 0;
}
