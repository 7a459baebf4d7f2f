// Output format names and the writer factory; `none` writes nothing (profile only).
#include "fastthread/writer.hpp"

#include "row_writers.hpp"

namespace fastthread {
namespace {

class NullWriter final : public RowWriter {
 public:
  void begin(const std::vector<std::string>&, const std::vector<ColumnOutput>&) override {}
  void row(std::span<const Field>, std::span<const Value>) override {}
  void add_column(const std::string&, ColumnOutput) override {}
  void end() override {}
  std::uint64_t bytes_written() const override { return 0; }
};

}  // namespace

std::string_view to_string(OutputFormat format) {
  switch (format) {
    case OutputFormat::none:
      return "none";
    case OutputFormat::ndjson:
      return "ndjson";
    case OutputFormat::json:
      return "json";
    case OutputFormat::csv:
      return "csv";
  }
  return "none";
}

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  for (OutputFormat f : {OutputFormat::none, OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv}) {
    if (to_string(f) == name) return f;
  }
  if (name == "jsonl") return OutputFormat::ndjson;
  return std::nullopt;
}

std::unique_ptr<RowWriter> make_writer(const WriterOptions& options, OutputSink& sink) {
  switch (options.format) {
    case OutputFormat::ndjson:
      return detail::make_json_writer(options, sink, false);
    case OutputFormat::json:
      return detail::make_json_writer(options, sink, true);
    case OutputFormat::csv:
      return detail::make_csv_writer(options, sink);
    case OutputFormat::none:
      break;
  }
  return std::make_unique<NullWriter>();
}

}  // namespace fastthread
