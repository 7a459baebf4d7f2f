#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "fastthread/job.hpp"
#include "fastthread/parser.hpp"
#include "json_build.hpp"
#include "utf8.hpp"

namespace fastthread {
namespace {

// Reads one optional key into `out`; false (with `error` set) when its type or range is
// wrong. Checks instead of catching: the WebAssembly build aborts on a throw.
template <typename T>
bool read(const nlohmann::json& json, const char* key, T& out, std::string& error) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return true;
  if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) {
      out = it->template get<std::string>();
      return true;
    }
  } else {
    static_assert(std::is_integral_v<T>);
    // A JSON integer may be stored signed or unsigned (nlohmann keeps a non-negative
    // literal from C++ as signed): compare the value, not the storage.
    if (it->is_number_unsigned()) {
      auto value = it->template get<std::uint64_t>();
      if (value <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
        out = static_cast<T>(value);
        return true;
      }
      error = std::string("option '") + key + "' is too large (" + std::to_string(value) + ")";
      return false;
    }
    if (it->is_number_integer()) {
      auto value = it->template get<std::int64_t>();
      if (value >= 0) {
        if (static_cast<std::uint64_t>(value) <= static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
          out = static_cast<T>(value);
          return true;
        }
        error = std::string("option '") + key + "' is too large (" + std::to_string(value) + ")";
        return false;
      }
      if (std::is_signed_v<T> && value >= static_cast<std::int64_t>(std::numeric_limits<T>::min())) {
        out = static_cast<T>(value);
        return true;
      }
      error = std::string("option '") + key + "' is out of range (" + std::to_string(value) + ")";
      return false;
    }
  }
  error = std::string("option '") + key + "' has the wrong type (" + it->type_name() + ")";
  return false;
}

bool read_count(const nlohmann::json& json, const char* key, std::uint64_t& out, std::string& error) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return true;
  // Stored signed or unsigned (see read()): the value counts, not the storage.
  const bool positive = it->is_number_unsigned() ? it->get<std::uint64_t>() > 0
                                                 : it->is_number_integer() && it->get<std::int64_t>() > 0;
  if (!positive) {
    error = std::string("option 'limits.") + key + "' must be a positive integer";
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

// Option names and strings reach error messages and the summary, which are JSON: they
// must be UTF-8 (a host may build the options from bytes it did not check, as a query).
bool is_text(std::string_view s) {
  return detail::find_invalid_utf8(s) == std::string_view::npos;
}
bool strings_are_text(const nlohmann::json& value) {
  if (value.is_string()) return is_text(value.get_ref<const std::string&>());
  if (!value.is_array()) return true;
  return std::all_of(value.begin(), value.end(), [](const nlohmann::json& v) {
    return !v.is_string() || is_text(v.get_ref<const std::string&>());
  });
}

std::string_view header_name(HeaderMode mode) {
  switch (mode) {
    case HeaderMode::present:
      return "yes";
    case HeaderMode::absent:
      return "no";
    case HeaderMode::automatic:
      break;
  }
  return "auto";
}

}  // namespace

std::optional<JobOptions> JobOptions::from_json(const nlohmann::json& json, std::string& error) {
  static const char* const known[] = {"name",        "format", "delimiter",   "header",     "encoding",
                                      "to",          "types",  "nulls",       "max_errors",
                                      "keep_errors", "limits", "sniff_bytes", "infer_rows", "log_format"};
  if (!json.is_object()) {
    error = "options must be a JSON object";
    return std::nullopt;
  }
  for (const auto& [key, value] : json.items()) {
    if (!is_text(key)) {
      error = "an option's name is not UTF-8 text";
      return std::nullopt;
    }
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) {
      error = "unknown option '" + key + "'";
      return std::nullopt;
    }
    if (!strings_are_text(value)) {
      error = "option '" + key + "' is not UTF-8 text";
      return std::nullopt;
    }
  }
  JobOptions o;
  std::string format = "auto", delimiter, header = "auto", encoding = "auto", to = "ndjson", types = "infer";
  if (!read(json, "name", o.file_name, error) || !read(json, "format", format, error) ||
      !read(json, "encoding", encoding, error) ||
      !read(json, "delimiter", delimiter, error) || !read(json, "header", header, error) ||
      !read(json, "to", to, error) || !read(json, "types", types, error) ||
      !read(json, "max_errors", o.max_errors, error) || !read(json, "keep_errors", o.keep_errors, error) ||
      !read(json, "sniff_bytes", o.sniff_bytes, error) || !read(json, "infer_rows", o.infer_rows, error) ||
      !read(json, "log_format", o.log_format, error)) {
    return std::nullopt;
  }
  if (format != "auto") {
    o.format = parse_format(format);
    if (!o.format) {
      error = "option 'format' must be auto, csv, tsv, ndjson, json or log, not '" + format + "'";
      return std::nullopt;
    }
  }
  if (!o.log_format.empty()) {
    if (o.format && *o.format != Format::log) {
      error = "option 'log_format' needs format log or auto, not '" + format + "'";
      return std::nullopt;
    }
    if (const std::string why = check_log_format(o.log_format); !why.empty()) {
      error = "option 'log_format' is not a log format: " + why;
      return std::nullopt;
    }
    o.format = Format::log;
  }
  if (encoding != "auto") {
    o.encoding = parse_encoding(encoding);
    if (!o.encoding) {
      error = "option 'encoding' must be auto, utf-8, utf-16le, utf-16be, windows-1252 or latin-1, not '" +
              encoding + "'";
      return std::nullopt;
    }
  }
  if (delimiter == "\\t" || delimiter == "tab") delimiter = "\t";
  if (delimiter.size() > 1 || delimiter == "\"" || delimiter == "\n" || delimiter == "\r") {
    error = "option 'delimiter' must be one character other than a quote or line end";
    return std::nullopt;
  }
  if (!delimiter.empty()) o.delimiter = delimiter[0];
  if (header == "yes" || header == "true") {
    o.header = HeaderMode::present;
  } else if (header == "no" || header == "false") {
    o.header = HeaderMode::absent;
  } else if (header != "auto") {
    error = "option 'header' must be auto, yes or no, not '" + header + "'";
    return std::nullopt;
  }
  auto output = parse_output_format(to);
  if (!output) {
    error = "option 'to' must be ndjson, json, csv or none, not '" + to + "'";
    return std::nullopt;
  }
  o.output = *output;
  if (types != "infer" && types != "none") {
    error = "option 'types' must be infer or none, not '" + types + "'";
    return std::nullopt;
  }
  o.infer_types = types == "infer";
  if (auto it = json.find("nulls"); it != json.end() && !it->is_null()) {
    if (!it->is_array()) {
      error = "option 'nulls' must be an array of strings";
      return std::nullopt;
    }
    o.nulls.tokens.clear();
    for (const auto& token : *it) {
      if (!token.is_string()) {
        error = "option 'nulls' must be an array of strings";
        return std::nullopt;
      }
      o.nulls.tokens.push_back(token.get<std::string>());
    }
  }
  if (o.max_errors < -1) {
    error = "option 'max_errors' must be -1 (no limit) or at least 0";
    return std::nullopt;
  }
  if (o.sniff_bytes == 0 || o.infer_rows == 0) {
    error = "options 'sniff_bytes' and 'infer_rows' must be at least 1";
    return std::nullopt;
  }
  if (auto it = json.find("limits"); it != json.end() && !it->is_null()) {
    if (!it->is_object()) {
      error = "option 'limits' must be an object";
      return std::nullopt;
    }
    std::uint64_t depth = o.limits.max_json_depth;
    if (!read_count(*it, "max_record_bytes", o.limits.max_record_bytes, error) ||
        !read_count(*it, "max_columns", o.limits.max_columns, error) ||
        !read_count(*it, "max_json_depth", depth, error) ||
        !read_count(*it, "max_decompressed_bytes", o.limits.max_decompressed_bytes, error) ||
        !read_count(*it, "max_expansion_ratio", o.limits.max_expansion_ratio, error)) {
      return std::nullopt;
    }
    o.limits.max_json_depth = static_cast<std::uint32_t>(std::min<std::uint64_t>(depth, 100000));
  }
  return o;
}

nlohmann::ordered_json JobOptions::to_json() const {
  using detail::put;
  nlohmann::ordered_json nulls_json = detail::array_with(nulls.tokens.size());
  for (const auto& token : nulls.tokens) nulls_json.push_back(token);
  nlohmann::ordered_json limits_json = detail::object_with(5);
  put(limits_json, "max_record_bytes", limits.max_record_bytes);
  put(limits_json, "max_columns", limits.max_columns);
  put(limits_json, "max_json_depth", limits.max_json_depth);
  put(limits_json, "max_decompressed_bytes", limits.max_decompressed_bytes);
  put(limits_json, "max_expansion_ratio", limits.max_expansion_ratio);
  nlohmann::ordered_json out = detail::object_with(12);
  put(out, "format", format ? std::string(fastthread::to_string(*format)) : "auto");
  if (!log_format.empty()) put(out, "log_format", log_format);
  put(out, "delimiter", delimiter ? std::string(1, *delimiter) : "");
  put(out, "header", header_name(header));
  put(out, "encoding", encoding ? std::string(fastthread::to_string(*encoding)) : "auto");
  put(out, "to", fastthread::to_string(output));
  put(out, "types", infer_types ? "infer" : "none");
  put(out, "nulls", std::move(nulls_json));
  put(out, "max_errors", max_errors);
  put(out, "keep_errors", keep_errors);
  put(out, "sniff_bytes", sniff_bytes);
  put(out, "infer_rows", infer_rows);
  put(out, "limits", std::move(limits_json));
  return out;
}

}  // namespace fastthread
