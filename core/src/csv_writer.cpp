// CSV output (RFC 4180): a header line, then one line per row, fields quoted only when needed.
#include <cstring>
#include <string>
#include <vector>

#include "output_buffer.hpp"
#include "row_writers.hpp"
#include "swar.hpp"

namespace fastthread::detail {
namespace {

class CsvWriter final : public RowWriter {
 public:
  CsvWriter(const WriterOptions& options, OutputSink& sink)
      : out_(sink, options.piece_bytes), delimiter_(options.csv_delimiter) {}

  void begin(const std::vector<std::string>& columns, const std::vector<ColumnOutput>&) override {
    columns_ = columns.size();
    // No columns, no lines: an empty header line would read back as a blank line.
    if (columns_ == 0) return;
    for (std::size_t c = 0; c < columns_; ++c) {
      if (c > 0) out_.put(delimiter_);
      write_cell(columns[c]);
    }
    end_line();
  }

  void row(std::span<const Field> fields, std::span<const Value>) override {
    if (columns_ == 0) return;
    const std::size_t n = fields.size() < columns_ ? fields.size() : columns_;
    for (std::size_t c = 0; c < n; ++c) {
      if (c > 0) out_.put(delimiter_);
      write_cell(cell_text(fields[c]));
    }
    // A short row still gets every cell, so each line has the header's field count.
    for (std::size_t c = n == 0 ? 1 : n; c < columns_; ++c) out_.put(delimiter_);
    end_line();
  }

  // The header is written; the job reports columns that come too late for it.
  void add_column(const std::string&, ColumnOutput) override {}

  void end() override { out_.flush(); }

  std::uint64_t bytes_written() const override { return out_.bytes(); }

 private:
  // JSON kinds become their text; null and missing become an empty cell.
  static std::string_view cell_text(const Field& field) {
    switch (field.kind) {
      case FieldKind::missing:
      case FieldKind::null:
        return {};
      default:
        return field.text;
    }
  }

  bool needs_quotes(std::string_view text) const {
    if (text.empty()) return false;
    if (text.front() == ' ' || text.back() == ' ') return true;
    const char* p = text.data();
    const std::size_t n = text.size();
    const auto delimiter = static_cast<unsigned char>(delimiter_);
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      const std::uint64_t word = load8(p + i);
      if (has_byte(word, delimiter) | has_byte(word, '"') | has_byte(word, '\n') | has_byte(word, '\r')) {
        return true;
      }
    }
    for (; i < n; ++i) {
      const char c = p[i];
      if (c == delimiter_ || c == '"' || c == '\n' || c == '\r') return true;
    }
    return false;
  }

  void write_cell(std::string_view text) {
    line_has_text_ |= !text.empty();
    if (!needs_quotes(text)) {
      out_.append(text);
      return;
    }
    out_.put('"');
    // Every quote inside is doubled.
    for (;;) {
      const void* quote = std::memchr(text.data(), '"', text.size());
      if (quote == nullptr) break;
      const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(quote) - text.data());
      out_.append(text.substr(0, at + 1));
      out_.put('"');
      text.remove_prefix(at + 1);
    }
    out_.append(text);
    out_.put('"');
  }

  void end_line() {
    // With one column an empty cell would make a blank line, which readers skip: quote it.
    if (columns_ == 1 && !line_has_text_) out_.append("\"\"");
    line_has_text_ = false;
    out_.put('\n');
    out_.row_done();
  }

  OutputBuffer out_;
  char delimiter_;
  std::size_t columns_ = 0;
  bool line_has_text_ = false;
};

}  // namespace

std::unique_ptr<RowWriter> make_csv_writer(const WriterOptions& options, OutputSink& sink) {
  return std::make_unique<CsvWriter>(options, sink);
}

}  // namespace fastthread::detail
