// sniff(): guesses the format from the content first and the file name second.
#include <algorithm>
#include <optional>
#include <string>

#include "fastthread/format.hpp"
#include "log_line.hpp"
#include "sniff_csv.hpp"

namespace fastthread {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kMaxSampleLines = 1000;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::size_t first_non_space(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  return i;
}

// The format a file name's extension stands for, if any.
struct NameHint {
  std::optional<Format> format;
  std::string extension;  // lower case, with the dot
};

NameHint hint_from_name(std::string_view name) {
  const std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  NameHint hint;
  for (char c : name.substr(dot))
    hint.extension += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const std::string& e = hint.extension;
  if (e == ".csv") hint.format = Format::csv;
  if (e == ".tsv" || e == ".tab") hint.format = Format::tsv;
  if (e == ".ndjson" || e == ".jsonl") hint.format = Format::ndjson;
  if (e == ".json") hint.format = Format::json;
  if (e == ".log") hint.format = Format::log;
  return hint;
}

// The non-blank lines of the sample without their line ends; a cut-off last line is left
// out unless it is the only one.
std::vector<std::string_view> sample_lines(std::string_view text, bool is_complete) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size() && lines.size() < kMaxSampleLines) {
    std::size_t end = text.find('\n', pos);
    const bool cut_off = end == std::string_view::npos && !is_complete;
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first_non_space(line) == line.size()) continue;
    if (cut_off && !lines.empty()) break;
    lines.push_back(line);
  }
  return lines;
}

struct Guess {
  Format format = Format::csv;
  double confidence = 0;
  std::string reason;
  bool ambiguous = false;  // the content fits the name's format as well: the name decides
};

std::optional<Guess> guess_json_array(std::string_view text, std::size_t start) {
  const std::size_t next = start + 1 + first_non_space(text.substr(start + 1));
  if (next < text.size() &&
      std::string_view("{[\"-0123456789tfn]").find(text[next]) == std::string_view::npos) {
    return std::nullopt;
  }
  return Guess{Format::json, 0.9, "the input starts with '[', a JSON array"};
}

std::optional<Guess> guess_json_object(std::string_view text, std::size_t start, bool is_complete) {
  // Find where the first object ends, minding strings, and whether it spans lines.
  int depth = 0;
  bool in_string = false;
  bool multiline = false;
  std::size_t i = start;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') multiline = true;
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth == 0) break;
    }
  }
  if (i >= text.size()) {
    return Guess{Format::json, multiline ? 0.85 : 0.6, "a single JSON object spans the sample", !multiline};
  }
  std::size_t after = i + 1;
  while (after < text.size() && (text[after] == ' ' || text[after] == '\t' || text[after] == '\r')) ++after;
  if (after < text.size() && text[after] != '\n') {
    return Guess{Format::json, 0.4, "the input starts with a JSON object that is not alone on its line"};
  }
  const std::size_t next = after + first_non_space(text.substr(std::min(after, text.size())));
  if (next < text.size() && text[next] == '{' && !multiline) {
    return Guess{Format::ndjson, 0.95,
                 "the first line is a complete JSON object and the next line starts another"};
  }
  if (next < text.size()) {
    return Guess{Format::json, 0.4, "the input starts with a JSON object followed by more text"};
  }
  if (multiline) return Guess{Format::json, 0.9, "the input is one JSON object"};
  return Guess{Format::json, is_complete ? 0.6 : 0.5, "the input is one JSON object on one line", true};
}

struct LogCount {
  std::size_t lines = 0;
  std::size_t matches = 0;
  std::size_t combined = 0;  // matches with a referer and user agent
};

LogCount count_log_lines(const std::vector<std::string_view>& lines) {
  LogCount count;
  detail::LogLine parts;
  detail::LogError error;
  for (std::string_view line : lines) {
    ++count.lines;
    if (!detail::parse_log_line(line, true, parts, error)) continue;
    ++count.matches;
    if (parts.has_user_agent) ++count.combined;
  }
  return count;
}

// Any combined line makes it combined: that parser reads common lines too.
LogVariant log_variant(const LogCount& count) {
  return count.combined > 0 || count.matches == 0 ? LogVariant::combined : LogVariant::common;
}

std::string log_reason(const LogCount& c) {
  const std::string variant = c.combined == c.matches ? "Combined Log Format"
                              : c.combined == 0       ? "Common Log Format"
                                                      : "access-log";
  std::string reason;
  if (c.matches == c.lines) {
    reason = c.lines == 1 ? "the only sampled line is a"
                          : "every one of " + std::to_string(c.lines) + " sampled lines is a";
    reason += (variant == "access-log" ? "n " : " ") + variant + " line";
  } else {
    reason = std::to_string(c.matches) + " of " + std::to_string(c.lines) + " sampled lines are " + variant +
             " lines";
  }
  if (variant == "access-log")
    reason += ", " + std::to_string(c.combined) + " of them in Combined Log Format";
  return reason;
}

std::optional<Guess> guess_log(const LogCount& count) {
  if (count.lines == 0 || count.matches * 2 <= count.lines) return std::nullopt;
  const double share = static_cast<double>(count.matches) / static_cast<double>(count.lines);
  return Guess{Format::log, 0.95 * share, log_reason(count)};
}

// IIS and other W3C extended logs open with directives; no other format starts so.
std::optional<std::string_view> w3c_directive(std::string_view text, std::size_t start) {
  for (std::string_view directive : {"#Software:", "#Version:", "#Date:", "#Remark:", "#Fields:"}) {
    if (text.substr(start).starts_with(directive)) return directive;
  }
  return std::nullopt;
}

std::string w3c_reason(std::string_view directive) {
  return "the input starts with " + std::string(directive) + ", a W3C extended log directive";
}

// The delimited reading: delimiter (given or sniffed) and header (given or sniffed).
Guess guess_delimited(std::string_view text, const SniffRequest& request, const NameHint& hint,
                      std::optional<Format> forced, Detected& out) {
  Guess guess;
  double confidence = 1;
  detail::SampleRecords records;
  const bool tsv_named = hint.format == Format::tsv;
  if (request.delimiter || forced == Format::tsv) {
    out.csv.delimiter = request.delimiter.value_or('\t');
    guess.reason = "the delimiter was given";
    records = detail::split_sample(text, out.csv.delimiter, request.is_complete, kMaxSampleLines);
    if (!forced) confidence = 0.9;
  } else {
    const char preferred = tsv_named ? '\t' : ',';
    detail::DelimiterGuess d = detail::guess_delimiter(text, request.is_complete, preferred);
    if (d.found) {
      out.csv.delimiter = d.delimiter;
      confidence = d.confidence;
      guess.reason = std::move(d.reason);
      records = std::move(d.records);
    } else {
      // One column: nothing in the content to choose by, so the name does.
      out.csv.delimiter = tsv_named ? '\t' : ',';
      confidence = 0.3;
      guess.ambiguous = true;
      guess.reason = "no delimiter gives more than one field, so this is one column";
      records = detail::split_sample(text, out.csv.delimiter, request.is_complete, kMaxSampleLines);
    }
  }
  guess.format = forced.value_or(out.csv.delimiter == '\t' ? Format::tsv : Format::csv);
  if (request.header == HeaderMode::automatic) {
    const detail::HeaderGuess h = detail::guess_header(records);
    out.csv.header = h.present ? HeaderMode::present : HeaderMode::absent;
    confidence = std::min(confidence, h.confidence);
    guess.reason += "; " + h.reason;
  }
  guess.confidence = confidence;
  return guess;
}

// Name agreement raises confidence; when the content is ambiguous the name decides.
void weigh_name(Guess& guess, const NameHint& hint) {
  if (!hint.format) return;
  if (*hint.format == guess.format) {
    guess.confidence = std::min(1.0, guess.confidence + 0.05);
    guess.reason += guess.ambiguous ? ", so the " + hint.extension + " name decides"
                                    : ", and the " + hint.extension + " name agrees";
    return;
  }
  if (guess.ambiguous && (guess.format == Format::json || guess.format == Format::ndjson) &&
      (*hint.format == Format::json || *hint.format == Format::ndjson)) {
    guess.format = *hint.format;
    guess.reason += ", so the " + hint.extension + " name decides";
    return;
  }
  guess.confidence *= 0.9;
  guess.reason += "; the content wins over the " + hint.extension + " name, which says " +
                  std::string(to_string(*hint.format));
}

// An Excel "sep=X" first line: its delimiter counts as given, and so does a delimited
// format unless another was given; the reason says where they came from.
Detected sniff_after_sep_line(const SniffRequest& given) {
  SniffRequest request = given;
  const bool names_delimiter = !request.delimiter;
  const bool names_format = !request.format;
  if (names_delimiter) request.delimiter = request.sep_line;
  if (names_format) request.format = *request.delimiter == '\t' ? Format::tsv : Format::csv;
  request.sep_line.reset();
  Detected out = sniff(request);
  const char d = *given.sep_line;
  const std::string sep = "the first line \"sep=" + (d == '\t' ? std::string("<tab>") : std::string(1, d)) + "\"";
  constexpr std::string_view kFormatGiven = "the format was given; ";
  constexpr std::string_view kDelimiterGiven = "the delimiter was given";
  if (names_format && out.reason.starts_with(kFormatGiven)) out.reason.erase(0, kFormatGiven.size());
  if (const std::size_t at = out.reason.find(kDelimiterGiven); names_delimiter && at != std::string::npos) {
    out.reason.replace(at, kDelimiterGiven.size(), sep + " names the delimiter");
  } else {
    out.reason += "; " + sep + " is skipped";
  }
  return out;
}

}  // namespace

Detected sniff(const SniffRequest& request) {
  if (request.sep_line) return sniff_after_sep_line(request);
  Detected out;
  std::string_view text = request.head;
  out.bom = text.starts_with(kBom);
  if (out.bom) text.remove_prefix(kBom.size());
  if (request.delimiter) out.csv.delimiter = *request.delimiter;
  out.csv.header = request.header;
  const NameHint hint = hint_from_name(request.file_name);
  const std::size_t start = first_non_space(text);

  if (!request.log_format.empty()) {
    out.format = Format::log;
    out.log = LogVariant::custom;
    out.log_format = std::string(request.log_format);
    out.confidence = 1;
    out.reason = "the log format string was given";
    return out;
  }

  if (start == text.size()) {
    out.format = request.format.value_or(Format::csv);
    if (!request.delimiter && out.format == Format::tsv) out.csv.delimiter = '\t';
    if (out.csv.header == HeaderMode::automatic) out.csv.header = HeaderMode::absent;
    out.confidence = request.format ? 1 : 0;
    out.reason = "empty input";
    return out;
  }

  if (request.format) {
    out.format = *request.format;
    out.confidence = 1;
    out.reason = "the format was given";
    if (out.format == Format::csv || out.format == Format::tsv) {
      Guess g = guess_delimited(text, request, hint, out.format, out);
      out.confidence = g.confidence;
      out.reason += "; " + g.reason;
    } else if (out.format == Format::log && w3c_directive(text, start)) {
      out.log = LogVariant::w3c;
      out.reason += "; " + w3c_reason(*w3c_directive(text, start));
    } else if (out.format == Format::log) {
      const LogCount count = count_log_lines(sample_lines(text, request.is_complete));
      out.log = log_variant(count);
      out.confidence =
          count.lines ? static_cast<double>(count.matches) / static_cast<double>(count.lines) : 0;
      out.reason += "; " + log_reason(count);
    }
    return out;
  }

  std::optional<Guess> guess;
  if (text[start] == '[') guess = guess_json_array(text, start);
  if (text[start] == '{') guess = guess_json_object(text, start, request.is_complete);
  if (const auto directive = w3c_directive(text, start)) {
    guess = Guess{Format::log, 0.95, w3c_reason(*directive)};
    out.log = LogVariant::w3c;
  }
  if (!guess) {
    const LogCount count = count_log_lines(sample_lines(text, request.is_complete));
    guess = guess_log(count);
    if (guess) out.log = log_variant(count);
  }
  if (!guess) guess = guess_delimited(text, request, hint, std::nullopt, out);
  weigh_name(*guess, hint);
  out.format = guess->format;
  out.confidence = std::clamp(guess->confidence, 0.0, 1.0);
  out.reason = std::move(guess->reason);
  return out;
}

}  // namespace fastthread
