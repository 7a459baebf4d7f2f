#include "summary.hpp"

#include <cmath>

#include "json_build.hpp"

namespace fastthread {
namespace {

using detail::array_with;
using detail::object_with;
using detail::put;

nlohmann::ordered_json format_json(const Detected& d) {
  nlohmann::ordered_json f = object_with(10);
  put(f, "name", to_string(d.format));
  put(f, "confidence", std::round(d.confidence * 1000) / 1000);
  put(f, "reason", d.reason);
  if (d.format == Format::csv || d.format == Format::tsv) {
    put(f, "delimiter", std::string(1, d.csv.delimiter));
    put(f, "quote", std::string(1, d.csv.quote));
    put(f, "header", d.csv.header == HeaderMode::present);
    put(f, "sep_line", d.sep_line);
  } else if (d.format == Format::log) {
    put(f, "variant", to_string(d.log));
    if (d.log == LogVariant::custom) put(f, "log_format", d.log_format);
  }
  put(f, "encoding", to_string(d.encoding));
  put(f, "encoding_reason", d.encoding_reason);
  put(f, "bom", d.bom);
  return f;
}

double round_ms(double ms) {
  return std::round(ms * 1000) / 1000;
}

}  // namespace

nlohmann::ordered_json build_summary(const SummaryInput& in) {
  nlohmann::ordered_json s = object_with(13);
  put(s, "version", 1);
  nlohmann::ordered_json file = object_with(4);
  put(file, "name", in.options.file_name);
  put(file, "bytes", in.bytes);
  put(file, "compression", to_string(in.compression));
  if (in.compression != Compression::none) put(file, "compressed_bytes", in.compressed_bytes);
  put(s, "file", std::move(file));
  put(s, "status", to_string(in.state));
  if (in.error) {
    put(s, "error", to_json(*in.error));
  } else {
    put(s, "error", nullptr);
  }
  put(s, "format", format_json(in.detected));
  put(s, "rows", in.rows);
  put(s, "bad_rows", in.errors);

  const std::size_t column_count = in.columns ? in.columns->size() : 0;
  auto columns = array_with(column_count);
  for (std::size_t i = 0; i < column_count; ++i) {
    if (i < in.profiles.size()) {
      nlohmann::ordered_json stats = in.profiles[i].to_json();
      auto& members = stats.get_ref<nlohmann::ordered_json::object_t&>();
      nlohmann::ordered_json c = object_with(members.size() + 1);
      put(c, "name", in.columns->name(i));
      for (auto& [key, value] : members) put(c, key, std::move(value));
      columns.push_back(std::move(c));
    } else {
      nlohmann::ordered_json c = object_with(1);
      put(c, "name", in.columns->name(i));
      columns.push_back(std::move(c));
    }
  }
  put(s, "columns", std::move(columns));

  auto first = array_with(in.first_errors->size());
  for (const Issue& issue : *in.first_errors) first.push_back(to_json(issue));
  nlohmann::ordered_json errors = object_with(2);
  put(errors, "count", in.errors);
  put(errors, "first", std::move(first));
  put(s, "errors", std::move(errors));

  nlohmann::ordered_json out = object_with(4);
  put(out, "format", to_string(in.options.output));
  put(out, "rows", in.output_rows);
  put(out, "bytes", in.output_bytes);
  if (!in.dropped_columns->empty()) {
    auto dropped = array_with(in.dropped_columns->size());
    for (const auto& d : *in.dropped_columns) {
      nlohmann::ordered_json column = object_with(2);
      put(column, "name", d.name);
      put(column, "first_row", d.first_row);
      dropped.push_back(std::move(column));
    }
    put(out, "dropped_columns", std::move(dropped));
  }
  put(s, "output", std::move(out));
  put(s, "options", in.options.to_json());
  nlohmann::ordered_json timings = object_with(3);
  put(timings, "sniff_ms", round_ms(in.timings.sniff_ms));
  put(timings, "parse_ms", round_ms(in.timings.parse_ms));
  put(timings, "total_ms", round_ms(in.timings.total_ms));
  put(s, "timings", std::move(timings));
  return s;
}

}  // namespace fastthread
