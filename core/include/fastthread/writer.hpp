// Row writers: the transformed output (ndjson, json, csv), written to a sink in pieces.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fastthread/columns.hpp"
#include "fastthread/field.hpp"
#include "fastthread/sink.hpp"
#include "fastthread/value.hpp"

namespace fastthread {

enum class OutputFormat : std::uint8_t { none, ndjson, json, csv };
std::string_view to_string(OutputFormat format);
std::optional<OutputFormat> parse_output_format(std::string_view name);

// How each column's values are written. For JSON outputs with inferred types, a column
// whose type is int64/float64 writes values that classify as numbers as JSON numbers,
// boolean writes true/false, and every null token becomes null; every other value is a
// JSON string. Fields that came from JSON keep their own kind. With types off (`typed` is
// false) every text value is written as a JSON string of its exact text.
struct ColumnOutput {
  ValueType type = ValueType::string;
};

// Writes rows to a sink. The writer buffers small writes and hands the sink pieces of
// about `piece_bytes`. begin() names the output columns and their types (the CSV header);
// a row may be shorter than `columns` (missing values) but never longer.
// Number text is written as JSON requires: a leading '+' dropped, "0" added before a
// leading '.' and after a trailing '.', otherwise the source spelling exactly.
class RowWriter {
 public:
  virtual ~RowWriter() = default;
  virtual void begin(const std::vector<std::string>& columns, const std::vector<ColumnOutput>& types) = 0;
  // `values` are the classifications of `fields` (same length).
  virtual void row(std::span<const Field> fields, std::span<const Value> values) = 0;
  // A column first seen after begin() (JSON inputs): JSON outputs write it from then on.
  // CSV output cannot grow its header and ignores the call (the job reports the column).
  virtual void add_column(const std::string& name, ColumnOutput type) = 0;
  virtual void end() = 0;
  virtual std::uint64_t bytes_written() const = 0;
};

struct WriterOptions {
  OutputFormat format = OutputFormat::ndjson;
  bool typed = true;
  char csv_delimiter = ',';
  std::size_t piece_bytes = 64 * 1024;
};

std::unique_ptr<RowWriter> make_writer(const WriterOptions& options, OutputSink& sink);

}  // namespace fastthread
