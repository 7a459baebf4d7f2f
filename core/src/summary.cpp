#include "summary.hpp"

#include <cmath>

namespace fastthread {
namespace {

nlohmann::ordered_json format_json(const Detected& d) {
  nlohmann::ordered_json f;
  f["name"] = to_string(d.format);
  f["confidence"] = std::round(d.confidence * 1000) / 1000;
  f["reason"] = d.reason;
  if (d.format == Format::csv || d.format == Format::tsv) {
    f["delimiter"] = std::string(1, d.csv.delimiter);
    f["quote"] = std::string(1, d.csv.quote);
    f["header"] = d.csv.header == HeaderMode::present;
  } else if (d.format == Format::log) {
    f["variant"] = d.log == LogVariant::combined ? "combined" : "common";
  }
  f["encoding"] = "utf-8";
  f["bom"] = d.bom;
  return f;
}

double round_ms(double ms) { return std::round(ms * 1000) / 1000; }

}  // namespace

nlohmann::ordered_json place_json(const Place& place) {
  return {{"row", place.row}, {"line", place.line}, {"byte_offset", place.byte_offset}};
}

nlohmann::ordered_json build_summary(const SummaryInput& in) {
  nlohmann::ordered_json s;
  s["version"] = 1;
  s["file"] = {{"name", in.options.file_name}, {"bytes", in.bytes}};
  s["status"] = to_string(in.state);
  if (in.error) {
    nlohmann::ordered_json e = {{"code", in.error->code}, {"message", in.error->message}};
    if (in.error->place) e["place"] = place_json(*in.error->place);
    s["error"] = std::move(e);
  } else {
    s["error"] = nullptr;
  }
  s["format"] = format_json(in.detected);
  s["rows"] = in.rows;
  s["bad_rows"] = in.errors;

  auto columns = nlohmann::ordered_json::array();
  for (std::size_t i = 0; in.columns && i < in.columns->size(); ++i) {
    nlohmann::ordered_json c;
    c["name"] = in.columns->name(i);
    if (i < in.profiles.size()) {
      nlohmann::ordered_json stats = in.profiles[i].to_json();
      for (auto& [key, value] : stats.items()) c[key] = std::move(value);
    }
    columns.push_back(std::move(c));
  }
  s["columns"] = std::move(columns);

  auto first = nlohmann::ordered_json::array();
  for (const Issue& issue : *in.first_errors) {
    nlohmann::ordered_json e = {{"code", issue.code}, {"message", issue.message}};
    nlohmann::ordered_json place = place_json(issue.place);
    for (auto& [key, value] : place.items()) e[key] = std::move(value);
    if (!issue.column.empty()) e["column"] = issue.column;
    first.push_back(std::move(e));
  }
  s["errors"] = {{"count", in.errors}, {"first", std::move(first)}};

  nlohmann::ordered_json out = {{"format", to_string(in.options.output)},
                                {"rows", in.output_rows},
                                {"bytes", in.output_bytes}};
  if (!in.dropped_columns->empty()) {
    auto dropped = nlohmann::ordered_json::array();
    for (const auto& d : *in.dropped_columns) dropped.push_back({{"name", d.name}, {"first_row", d.first_row}});
    out["dropped_columns"] = std::move(dropped);
  }
  s["output"] = std::move(out);
  s["options"] = in.options.to_json();
  s["timings"] = {{"sniff_ms", round_ms(in.timings.sniff_ms)},
                  {"parse_ms", round_ms(in.timings.parse_ms)},
                  {"total_ms", round_ms(in.timings.total_ms)}};
  return s;
}

}  // namespace fastthread
