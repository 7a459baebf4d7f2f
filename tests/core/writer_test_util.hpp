// Helpers for the row-writer tests: a sink that keeps its pieces, field and value builders.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fastthread/writer.hpp"

namespace fastthread::testing {

class PieceSink : public OutputSink {
 public:
  void write(std::string_view bytes) override { pieces.emplace_back(bytes); }
  std::string joined() const {
    std::string all;
    for (const std::string& piece : pieces) all += piece;
    return all;
  }
  std::vector<std::string> pieces;
};

inline Field text(std::string_view s) {
  return {s, FieldKind::text};
}
inline Field jstring(std::string_view s) {
  return {s, FieldKind::string};
}
inline Field jnumber(std::string_view s) {
  return {s, FieldKind::number};
}
inline Field jbool(std::string_view s) {
  return {s, FieldKind::boolean};
}
inline Field jnull() {
  return {"null", FieldKind::null};
}
inline Field jraw(std::string_view s) {
  return {s, FieldKind::json};
}
inline Field missing() {
  return {{}, FieldKind::missing};
}
inline Value value(ValueType type) {
  return Value{type, 0, 0};
}

// One row: its fields and their classifications (same length, as the writers expect).
struct TestRow {
  std::vector<Field> fields;
  std::vector<Value> values;
};

// Everything `options` writes for these columns and rows, begin() to end().
inline std::string write_rows(const WriterOptions& options, const std::vector<std::string>& columns,
                              const std::vector<ColumnOutput>& types, const std::vector<TestRow>& rows) {
  PieceSink sink;
  auto writer = make_writer(options, sink);
  writer->begin(columns, types);
  for (const TestRow& row : rows) writer->row(row.fields, row.values);
  writer->end();
  return sink.joined();
}

}  // namespace fastthread::testing
