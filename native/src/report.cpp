#include "report.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "report_text.hpp"

namespace fastthread::cli {

namespace {

using json = nlohmann::ordered_json;

// The report reads summaries it did not build: a missing or odd key is a blank, never a throw.
const json& member(const json& object, const char* key) {
  static const json kAbsent;
  if (!object.is_object()) return kAbsent;
  auto it = object.find(key);
  return it == object.end() ? kAbsent : *it;
}
std::uint64_t count_of(const json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer())
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, value.get<std::int64_t>()));
  return 0;
}
std::string text_of(const json& value) {
  return value.is_string() ? printable(value.get_ref<const std::string&>()) : "";
}

// A statistic as a person reads it: integers exact, floats to about 4 digits, dates,
// booleans and texts as they are.
std::string value_text(const json& value) {
  if (value.is_null()) return "";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return value.dump();
  if (value.is_number_float()) return float_text(value.get<double>());
  if (value.is_string()) return printable(value.get_ref<const std::string&>());
  return printable(value.dump());
}

// `text` may be cut to fit; `suffix` (a top value's count) never is. Numbers, dates and
// counts are never cut either, since a cut number reads as another number. Counts are
// right-aligned; statistics are left-aligned, since a column of them mixes numbers, dates
// and texts.
struct Cell {
  std::string text;
  std::string suffix;
  bool cuttable = false;
  bool right = false;
  std::size_t width() const { return display_width(text) + display_width(suffix); }
  std::size_t min_width() const {
    return cuttable ? std::min<std::size_t>(width(), 8 + display_width(suffix)) : width();
  }
  std::string fit(std::size_t w) const {
    if (width() <= w) return text + suffix;
    return cut(text, w - display_width(suffix)) + suffix;
  }
};

// Which kinds of approximation the table shows, for the legend under it.
struct Legend {
  bool p50 = false;
  bool distinct = false;
  double distinct_error = 0;  // the largest relative standard error among estimated distinct counts
  double rank_error = 0;      // the largest rank error among the quantiles shown
  bool top_at_least = false;  // a top value's count is a guaranteed lower bound
  bool top_approximate = false;
};

Cell count_cell(std::uint64_t n, const char* mark = "") {
  return {mark + count_text(n), "", false, true};
}

Cell value_cell(const json& value, bool text_column, const char* mark = "") {
  if (value.is_null()) return {};
  return {mark + value_text(value), "", text_column, false};
}

Cell top_cell(const json& top, Legend& legend) {
  if (member(top, "all_distinct") == true) return {"(all distinct)", "", false, false};
  const json& values = member(top, "values");
  const bool exact = member(top, "exact") == true;
  // The sketch lists only values it can tell from the noise: none may stand out.
  if (!values.is_array() || values.empty()) return {exact ? "" : "(none stands out)", "", false, false};
  const json& first = values.front();
  const std::uint64_t count = count_of(member(first, "count"));
  std::string bound;
  if (!exact) {
    legend.top_approximate = true;
    if (count_of(member(first, "error")) > 0) {
      bound = "\u2265";
      legend.top_at_least = true;
    }
  }
  return {(exact ? "" : "\u2248") + text_of(member(first, "value")), " (" + bound + count_text(count) + ")",
          true, false};
}

const std::vector<std::string> kLabels = {
    "column", "type", "nulls", "distinct", "min", "max", "mean", "p50", "top"};

std::vector<Cell> column_cells(const json& column, Legend& legend) {
  const std::string type = text_of(member(column, "type"));
  const bool text_column = type == "string";
  const json& distinct = member(column, "distinct");
  const bool distinct_exact = member(distinct, "exact") != false;
  if (!distinct_exact) {
    legend.distinct = true;
    const json& error = member(distinct, "error");
    if (error.is_number()) legend.distinct_error = std::max(legend.distinct_error, error.get<double>());
  }
  const json& numeric = member(column, "numeric");
  const json& p50 = member(numeric, "p50");
  const json& rank_error = member(numeric, "rank_error");
  const bool p50_exact = rank_error.is_number() && rank_error.get<double>() == 0;
  if (!p50.is_null() && !p50_exact) {
    legend.p50 = true;
    if (rank_error.is_number()) legend.rank_error = std::max(legend.rank_error, rank_error.get<double>());
  }
  return {
      Cell{text_of(member(column, "name")), "", true, false},
      Cell{type, "", false, false},
      count_cell(count_of(member(column, "nulls"))),
      count_cell(count_of(member(distinct, "value")), distinct_exact ? "" : "\u2248"),
      value_cell(member(column, "min"), text_column),
      value_cell(member(column, "max"), text_column),
      value_cell(member(numeric, "mean"), false),
      value_cell(p50, false, p50_exact ? "" : "\u2248"),
      top_cell(member(column, "top"), legend),
  };
}

// Greedy wrap of items joined by `separator`, each line at most `width` columns: the
// first line indented by `first_indent`, the next ones by `indent`.
void wrap(const std::vector<std::string>& items, std::size_t first_indent, std::size_t indent,
          std::size_t width, std::string_view separator, std::string& out) {
  std::size_t margin = first_indent, used = 0;
  for (const std::string& raw : items) {
    const std::string item = cut(raw, width > margin + 1 ? width - margin : 1);
    const std::size_t w = display_width(item);
    if (used > 0 && margin + used + separator.size() + w > width) {
      out += '\n';
      margin = indent;
      used = 0;
    }
    if (used == 0) {
      out.append(margin, ' ');
    } else {
      out += separator;
      used += separator.size();
    }
    out += item;
    used += w;
  }
  if (used > 0) out += '\n';
}

std::string dialect(const json& format) {
  const std::string name = text_of(member(format, "name"));
  std::vector<std::string> parts;
  if (name == "csv" || name == "tsv") {
    const json& delimiter = member(format, "delimiter");
    if (delimiter == "\t") {
      if (name != "tsv") parts.push_back("delimiter tab");
    } else {
      parts.push_back("delimiter '" + text_of(delimiter) + "'");
    }
    const std::string quote = text_of(member(format, "quote"));
    if (!quote.empty() && quote != "\"") parts.push_back("quote '" + quote + "'");
    parts.push_back(member(format, "header") == true ? "header" : "no header");
  }
  if (name == "log") parts.push_back(text_of(member(format, "variant")));
  const std::string encoding = text_of(member(format, "encoding"));
  if (!encoding.empty() && encoding != "utf-8") parts.push_back(encoding);
  if (member(format, "bom") == true) parts.push_back("BOM");
  std::string out = name.empty() ? "format unknown" : name;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? " (" : ", ") + parts[i];
  return parts.empty() ? out : out + ")";
}

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return count_text(n) + " " + (n == 1 ? one : many);
}

std::string place_text(const json& place) {
  return "row " + value_text(member(place, "row")) + " (line " + value_text(member(place, "line")) +
         ", byte " + value_text(member(place, "byte_offset")) + ")";
}

// "158 B", or "158 B from 92 B of gzip" for a compressed input.
std::string size_text(const json& file) {
  std::string text = bytes_text(count_of(member(file, "bytes")));
  const std::string codec = text_of(member(file, "compression"));
  if (!codec.empty() && codec != "none") {
    text += " from " + bytes_text(count_of(member(file, "compressed_bytes"))) + " of " + codec;
  }
  return text;
}

void write_header(const json& summary, std::size_t width, std::string& out) {
  const json& file = member(summary, "file");
  const std::uint64_t bad_rows = count_of(member(summary, "bad_rows"));
  std::vector<std::string> items = {text_of(member(file, "name")) + ":",
                                    dialect(member(summary, "format")) + ",",
                                    size_text(file) + ",",
                                    plural(count_of(member(summary, "rows")), "row", "rows") + ",",
                                    plural(bad_rows, "bad row", "bad rows")};
  const std::string status = text_of(member(summary, "status"));
  if (!status.empty() && status != "done") items.back() += ", " + status;
  wrap(items, 0, 2, width, " ", out);

  const json& error = member(summary, "error");
  if (error.is_object()) {
    std::string line = "stopped: " + text_of(member(error, "message"));
    if (member(error, "place").is_object()) line += " at " + place_text(member(error, "place"));
    out += cut(line, width) + "\n";
  }
  // The first few bad rows: enough to go and look; the summary keeps more.
  constexpr std::size_t kShown = 3;
  const json& first = member(member(summary, "errors"), "first");
  std::size_t shown = 0;
  if (first.is_array()) {
    for (const json& e : first) {
      if (shown == kShown) break;
      std::string line = "  " + place_text(e) + " " + text_of(member(e, "code"));
      if (member(e, "column").is_string()) line += " in '" + text_of(member(e, "column")) + "'";
      line += ": " + text_of(member(e, "message"));
      out += cut(line, width) + "\n";
      ++shown;
    }
  }
  if (bad_rows > shown && shown > 0) {
    out += cut("  \u2026 " + plural(bad_rows - shown, "more", "more") +
                   " (the JSON summary lists the first " + count_text(first.size()) + ")",
               width) +
           "\n";
  }

  const json& output = member(summary, "output");
  const std::string to = text_of(member(output, "format"));
  if (!to.empty() && to != "none") {
    std::string line = "output: " + to + ", " + plural(count_of(member(output, "rows")), "row", "rows") +
                       ", " + bytes_text(count_of(member(output, "bytes")));
    const json& dropped = member(output, "dropped_columns");
    if (dropped.is_array() && !dropped.empty())
      line +=
          "; " + plural(dropped.size(), "column", "columns") + " dropped (first seen after the CSV header)";
    out += cut(line, width) + "\n";
  }
}

// Mean and p50 make way first when the table is too wide: min and max bound the column
// exactly, and both come back in the record layout or a wider terminal.
constexpr std::size_t kMean = 6, kP50 = 7;

// The table, or false when it cannot fit even with texts cut and mean and p50 left out.
// `shown` says which statistics made it.
bool write_table(const std::vector<std::vector<Cell>>& rows, std::size_t width, std::vector<bool>& shown,
                 std::string& out) {
  const std::size_t n = kLabels.size();
  std::vector<std::size_t> widths(n), floors(n);
  for (std::size_t i = 0; i < n; ++i) widths[i] = floors[i] = display_width(kLabels[i]);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < n; ++i) {
      widths[i] = std::max(widths[i], row[i].width());
      floors[i] = std::max(floors[i], row[i].min_width());
    }
  }
  shown.assign(n, true);
  const auto total = [&](const std::vector<std::size_t>& w) {
    std::size_t sum = 0, columns = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (shown[i]) sum += w[i], ++columns;
    }
    return sum + 2 * (columns - 1);
  };
  const std::size_t all_width = total(floors);
  for (std::size_t drop : {kMean, kP50}) {
    if (total(floors) > width) shown[drop] = false;
  }
  if (total(floors) > width) return false;
  // Shrink the widest text that can still give, one terminal column at a time.
  while (total(widths) > width) {
    std::size_t widest = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (shown[i] && widths[i] > floors[i] && (widest == n || widths[i] > widths[widest])) widest = i;
    }
    --widths[widest];
  }
  const auto line = [&](const std::vector<Cell>& cells) {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      if (!shown[i]) continue;
      const std::string cell = cells[i].fit(widths[i]);
      const std::size_t pad = widths[i] - display_width(cell);
      if (!text.empty()) text += "  ";
      if (cells[i].right) text.append(pad, ' ');
      text += cell;
      if (!cells[i].right) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text + "\n";
  };
  std::vector<Cell> header;
  for (std::size_t i = 0; i < n; ++i) header.push_back({kLabels[i], "", false, i == 2 || i == 3});
  line(header);
  for (const auto& row : rows) line(row);
  if (!shown[kMean]) {
    std::vector<std::string> words = {std::string(shown[kP50] ? "mean" : "mean and p50"),
                                      "left",
                                      "out",
                                      "to",
                                      "fit",
                                      std::to_string(width),
                                      "columns",
                                      "(" + std::to_string(all_width),
                                      "show",
                                      "them:",
                                      "COLUMNS=" + std::to_string(all_width) + ")"};
    wrap(words, 0, 2, width, " ", out);
  }
  return true;
}

// A column per record when the table cannot fit: name and type, then its statistics.
void write_records(const std::vector<std::vector<Cell>>& rows, std::size_t width, std::string& out) {
  for (const auto& row : rows) {
    wrap({row[0].text, row[1].text}, 0, 4, width, "  ", out);
    std::vector<std::string> items;
    for (std::size_t i = 2; i < kLabels.size(); ++i) {
      // Fitted here rather than cut by wrap(), so that a top value keeps its count.
      const std::size_t room = width > 4 + kLabels[i].size() + 1 ? width - 4 - kLabels[i].size() - 1 : 1;
      if (row[i].width() > 0)
        items.push_back(kLabels[i] + " " + row[i].fit(std::max(room, row[i].min_width())));
    }
    wrap(items, 4, 4, width, "  ", out);
  }
}

void write_legend(const Legend& legend, std::size_t width, std::string& out) {
  std::vector<std::string> notes;
  if (legend.p50)
    notes.push_back("p50 is a quantile sketch's value, its rank within about " +
                    float_text((legend.rank_error > 0 ? legend.rank_error : 0.0165) * 100) + "% of the middle;");
  if (legend.distinct) {
    notes.push_back(legend.distinct_error > 0 ? "distinct is an estimate with relative standard error " +
                                                    float_text(legend.distinct_error * 100) + "%;"
                                              : "distinct is an estimate;");
  }
  if (legend.top_approximate) {
    std::string note = "top values come from a sketch and may not be the very first";
    if (legend.top_at_least) note += ", \u2265N: at least N";
    notes.push_back(note + ";");
  }
  if (notes.empty()) return;
  notes.back().pop_back();
  std::string text = "\u2248 approximate:";
  for (const std::string& note : notes) text += " " + note;
  // Word-wrapped: the legend is a sentence, not a list of items.
  std::vector<std::string> words;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t space = std::min(text.find(' ', start), text.size());
    words.push_back(text.substr(start, space - start));
    start = space + 1;
  }
  wrap(words, 0, 2, width, " ", out);
}

}  // namespace

std::string format_report(const nlohmann::ordered_json& summary, std::size_t width) {
  width = std::max<std::size_t>(width, 20);
  std::string out;
  write_header(summary, width, out);
  const json& columns = member(summary, "columns");
  if (!columns.is_array() || columns.empty()) {
    out += "no columns\n";
    return out;
  }
  Legend legend;
  std::vector<std::vector<Cell>> rows;
  for (const json& column : columns) rows.push_back(column_cells(column, legend));
  out += '\n';
  std::vector<bool> shown;
  if (!write_table(rows, width, shown, out)) {
    write_records(rows, width, out);
  } else if (!shown[kP50]) {
    legend.p50 = false;
  }
  write_legend(legend, width, out);
  return out;
}

std::size_t terminal_width(int fd) {
  struct winsize size {};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    char* end = nullptr;
    const long n = std::strtol(columns, &end, 10);
    if (end != columns && *end == '\0' && n > 0) return static_cast<std::size_t>(n);
  }
  return 100;
}

}  // namespace fastthread::cli
