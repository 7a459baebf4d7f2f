// NDJSON and JSON-array output: one object per row, typed by the column's output type.
#include <cstdint>
#include <string>
#include <vector>

#include "json_text.hpp"
#include "output_buffer.hpp"
#include "row_writers.hpp"

namespace fastthread::detail {
namespace {

// What a column may turn text into, fixed at begin() so a row needs no type logic.
struct ColumnPlan {
  std::uint32_t key_offset = 0;  // the escaped `"key":` in JsonWriter::keys_
  std::uint32_t key_size = 0;
  bool numbers = false;   // text that classifies as int64/float64 becomes a JSON number
  bool booleans = false;  // text that classifies as boolean becomes true/false
};

class JsonWriter final : public RowWriter {
 public:
  JsonWriter(const WriterOptions& options, OutputSink& sink, bool array)
      : out_(sink, options.piece_bytes), array_(array), typed_(options.typed) {}

  void begin(const std::vector<std::string>& columns, const std::vector<ColumnOutput>& types) override {
    keys_.clear();
    plans_.clear();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      add_column(columns[c], c < types.size() ? types[c] : ColumnOutput{ValueType::string});
    }
    if (array_ && !begun_) out_.put('[');
    begun_ = true;
  }

  void add_column(const std::string& name, ColumnOutput output) override {
    ColumnPlan plan;
    plan.key_offset = static_cast<std::uint32_t>(keys_.size());
    StringOut keys{keys_};
    append_json_string(keys, name);
    keys_.push_back(':');
    plan.key_size = static_cast<std::uint32_t>(keys_.size() - plan.key_offset);
    // A column with no known type (all nulls so far) writes each value as it classifies.
    plan.numbers = output.type == ValueType::int64 || output.type == ValueType::float64 || output.type == ValueType::null;
    plan.booleans = output.type == ValueType::boolean || output.type == ValueType::null;
    plans_.push_back(plan);
  }

  void row(std::span<const Field> fields, std::span<const Value> values) override {
    if (array_) {
      if (!begun_) out_.put('[');
      begun_ = true;
      if (rows_ > 0) out_.append(",\n");
    }
    out_.put('{');
    // Fields past the column list have no key; the contract says there are none.
    const std::size_t n = fields.size() < plans_.size() ? fields.size() : plans_.size();
    bool first = true;
    for (std::size_t c = 0; c < n; ++c) {
      const Field& field = fields[c];
      if (field.kind == FieldKind::missing) continue;
      if (!first) out_.put(',');
      first = false;
      const ColumnPlan& plan = plans_[c];
      out_.append(std::string_view(keys_.data() + plan.key_offset, plan.key_size));
      write_value(field, c < values.size() ? &values[c] : nullptr, plan);
    }
    out_.put('}');
    if (!array_) out_.put('\n');
    ++rows_;
    out_.row_done();
  }

  void end() override {
    if (ended_) return;
    ended_ = true;
    if (array_) out_.append(begun_ ? "]\n" : "[]\n");
    out_.flush();
  }

  std::uint64_t bytes_written() const override { return out_.bytes(); }

 private:
  void write_value(const Field& field, const Value* value, const ColumnPlan& plan) {
    switch (field.kind) {
      case FieldKind::string:
        append_json_string(out_, field.text);
        return;
      case FieldKind::number:
        append_json_number(out_, field.text);
        return;
      case FieldKind::boolean:
        out_.append(json_boolean(field.text));
        return;
      case FieldKind::null:
        out_.append("null");
        return;
      case FieldKind::json:
        out_.append(field.text);
        return;  // already valid, compact JSON
      case FieldKind::missing:
        return;
      case FieldKind::text:
        break;
    }
    // Without a classification (types off, or none given) text is a string of itself.
    if (!typed_ || value == nullptr) {
      append_json_string(out_, field.text);
      return;
    }
    switch (value->type) {
      case ValueType::null:
        out_.append("null");
        return;
      case ValueType::int64:
      case ValueType::float64:
        if (plan.numbers) return append_json_number(out_, field.text);
        break;
      case ValueType::boolean:
        if (plan.booleans) return out_.append(json_boolean(field.text));
        break;
      default:
        break;
    }
    append_json_string(out_, field.text);
  }

  OutputBuffer out_;
  bool array_;
  bool typed_;
  bool begun_ = false;
  bool ended_ = false;
  std::uint64_t rows_ = 0;
  std::string keys_;  // every column's `"key":`, back to back
  std::vector<ColumnPlan> plans_;
};

}  // namespace

std::unique_ptr<RowWriter> make_json_writer(const WriterOptions& options, OutputSink& sink, bool array) {
  return std::make_unique<JsonWriter>(options, sink, array);
}

}  // namespace fastthread::detail
