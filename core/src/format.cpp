#include "fastthread/format.hpp"

namespace fastthread {

std::string_view to_string(Format format) {
  switch (format) {
    case Format::csv: return "csv";
    case Format::tsv: return "tsv";
    case Format::ndjson: return "ndjson";
    case Format::json: return "json";
    case Format::log: return "log";
  }
  return "csv";
}

std::string_view to_string(LogVariant variant) {
  switch (variant) {
    case LogVariant::common: return "common";
    case LogVariant::combined: return "combined";
    case LogVariant::custom: return "custom";
    case LogVariant::w3c: return "w3c";
  }
  return "combined";
}

std::optional<Format> parse_format(std::string_view name) {
  for (Format f : {Format::csv, Format::tsv, Format::ndjson, Format::json, Format::log}) {
    if (to_string(f) == name) return f;
  }
  if (name == "jsonl") return Format::ndjson;
  return std::nullopt;
}

}  // namespace fastthread
