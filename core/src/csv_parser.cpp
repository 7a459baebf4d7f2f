// The streaming CSV/TSV parser: records from CsvRecordReader become rows (or bad rows) with
// their places; the first record names the columns.
#include <limits>
#include <string>
#include <vector>

#include "csv_header.hpp"
#include "csv_record_reader.hpp"
#include "csv_scan.hpp"
#include "fastthread/parser.hpp"
#include "utf8.hpp"

namespace fastthread {
namespace {

using detail::CsvFieldSpan;
using detail::CsvRecord;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string num(std::uint64_t value) {
  return std::to_string(value);
}
std::string field_count(std::uint64_t count) {
  return num(count) + (count == 1 ? " field" : " fields");
}

// A field cap for the reader: one past the most fields a good record can have, so a
// longer record is still seen as too long.
std::size_t cap_above(std::uint64_t fields) {
  constexpr std::uint64_t most = std::numeric_limits<std::size_t>::max() - 1;
  return static_cast<std::size_t>(fields < most ? fields : most) + 1;
}

class CsvParser final : public Parser, private detail::CsvRecordSink {
 public:
  CsvParser(const CsvDialect& dialect, bool skip_bom, const Limits& limits, RowHandler& handler)
      : quote_(dialect.quote),
        header_present_(dialect.header == HeaderMode::present),
        limits_(limits),
        handler_(handler),
        reader_(dialect.delimiter, dialect.quote, limits.max_record_bytes, *this),
        bom_pending_(skip_bom) {
    reader_.set_field_cap(cap_above(limits.max_columns));
  }

  bool feed(std::string_view chunk) override {
    if (stopped_) return false;
    fed_ += chunk.size();
    if (bom_pending_) {
      // Hold the first bytes until they show whether the input starts with a BOM.
      while (!chunk.empty() && head_.size() < kBom.size() && kBom.starts_with(head_)) {
        head_ += chunk.front();
        chunk.remove_prefix(1);
      }
      if (!kBom.starts_with(head_)) {
        if (!release_head()) return false;
      } else if (head_ == kBom) {
        bom_pending_ = false;
        reader_.set_offset(kBom.size());
      } else {
        return true;
      }
    }
    return keep_going(reader_.feed(chunk));
  }

  bool finish() override {
    if (stopped_) return false;
    if (bom_pending_ && !release_head()) return false;
    return keep_going(reader_.finish());
  }

  const Columns& columns() const override { return columns_; }
  std::uint64_t bytes() const override { return fed_; }

 private:
  // The first bytes were not a BOM after all: they are data.
  bool release_head() {
    bom_pending_ = false;
    const std::string head = std::move(head_);
    return keep_going(reader_.feed(head));
  }

  bool keep_going(bool ok) {
    if (!ok) stopped_ = true;
    return ok;
  }

  bool is_header() const { return header_present_ && !have_columns_; }
  std::uint64_t next_row() { return is_header() ? 0 : ++rows_; }
  static std::string row_name(std::uint64_t row) { return row == 0 ? "the header" : "row " + num(row); }

  bool report(ErrorCode code, std::string message, const Place& place, std::string column = {}) {
    return handler_.on_bad_row(Issue{code, std::move(message), place, std::move(column), {}});
  }

  // "invalid UTF-8 at byte N" and the rest, with N marked for the stages that map offsets.
  bool report_invalid_utf8(std::uint64_t offset, std::string_view rest, const Place& place, std::string column) {
    Issue issue{ErrorCode::invalid_utf8, "invalid UTF-8 at byte ", place, std::move(column), {}};
    const std::string digits = num(offset);
    issue.named_offset = Issue::NamedOffset{offset, issue.message.size(), digits.size()};
    issue.message.append(digits).append(rest);
    return handler_.on_bad_row(issue);
  }

  bool on_record_too_large(std::uint64_t offset, std::uint64_t line) override {
    const Place place{next_row(), line, offset};
    return report(ErrorCode::record_too_large,
                  row_name(place.row) + " is longer than the limit of " + num(limits_.max_record_bytes) +
                      " bytes; skipped",
                  place);
  }

  bool on_unterminated_quote(std::uint64_t quote_offset, std::uint64_t quote_line) override {
    const Place place{next_row(), quote_line, quote_offset};
    return report(ErrorCode::unterminated_quote,
                  "the quoted field starting at line " + num(quote_line) + " has no closing quote", place);
  }

  // Until a record fixes the columns, each record is the header (or first row) candidate:
  // one that is too long or too wide is reported and the next one is tried.
  bool on_record(const CsvRecord& record) override {
    return have_columns_ ? emit_row(record) : set_columns(record);
  }

  // The content of field `s` of `record`; unescaped fields go to the scratch buffer at
  // `out`, which is sized once per record so earlier views stay valid.
  std::string_view field_text(const CsvRecord& record, const CsvFieldSpan& s, char*& out) {
    const char* raw = record.bytes + s.begin;
    const std::size_t size = s.end - s.begin;
    if (!(s.flags & CsvFieldSpan::quoted)) return {raw, size};
    if (!(s.flags & CsvFieldSpan::unescape)) return {raw + 1, size - 2};
    if (out == nullptr) {
      if (scratch_.size() < record.size) scratch_.resize(record.size);
      out = scratch_.data();
    }
    const std::string_view text(out, detail::unescape_quoted(raw, size, quote_, out));
    out += text.size();
    return text;
  }

  // Input offset of byte `index` of field `s`'s content.
  std::uint64_t content_offset(const CsvRecord& record, const CsvFieldSpan& s, std::size_t index) const {
    std::size_t raw = s.begin + index;
    if (s.flags & CsvFieldSpan::unescape) {
      raw = s.begin + detail::unescaped_source_index(record.bytes + s.begin, s.end - s.begin, quote_, index);
    } else if (s.flags & CsvFieldSpan::quoted) {
      raw += 1;
    }
    return record.offset + raw;
  }

  // The first record fixes the columns: their names (header present) or their count.
  bool set_columns(const CsvRecord& record) {
    if (record.field_count > limits_.max_columns) {
      const Place place{next_row(), record.line, record.offset};
      return report(ErrorCode::too_many_columns,
                    row_name(place.row) + " has " + field_count(record.field_count) +
                        ", more than the limit of " + num(limits_.max_columns) + " columns",
                    place);
    }
    const std::size_t count = record.fields.size();
    if (header_present_) {
      detail::CsvHeaderNames names(columns_);
      char* out = nullptr;
      for (std::size_t i = 0; i < count; ++i) {
        std::string_view name = field_text(record, record.fields[i], out);
        const std::size_t bad =
            record.maybe_non_ascii ? detail::find_invalid_utf8(name) : std::string_view::npos;
        if (bad != std::string_view::npos) {
          // Names must be text: the column keeps its positional name.
          const std::string fallback = "column_" + num(i + 1);
          const Place place{0, record.line, record.offset};
          if (!report_invalid_utf8(content_offset(record, record.fields[i], bad),
                                   " in the header; the column is named " + fallback, place, fallback)) {
            return false;
          }
          name = {};
        }
        names.add(name, i + 1);
      }
    } else {
      for (std::size_t i = 0; i < count; ++i) columns_.intern("column_" + num(i + 1));
    }
    have_columns_ = true;
    reader_.set_field_cap(count + 1);
    fields_.assign(count, Field{{}, FieldKind::text});
    return header_present_ ? true : emit_row(record);
  }

  bool emit_row(const CsvRecord& record) {
    const Place place{next_row(), record.line, record.offset};
    const std::size_t count = fields_.size();
    if (record.field_count != count) {
      return report(
          ErrorCode::ragged_row,
          "row " + num(place.row) + " has " + field_count(record.field_count) + ", expected " + num(count),
          place);
    }
    char* out = nullptr;
    for (std::size_t i = 0; i < count; ++i) fields_[i].text = field_text(record, record.fields[i], out);
    if (record.maybe_non_ascii) {
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t bad = detail::find_invalid_utf8(fields_[i].text);
        if (bad == std::string_view::npos) continue;
        const std::string& column = columns_.name(i);
        return report_invalid_utf8(content_offset(record, record.fields[i], bad),
                                   " in column \"" + column + "\" of row " + num(place.row), place, column);
      }
    }
    return handler_.on_row(fields_, place);
  }

  const char quote_;
  const bool header_present_;
  const Limits limits_;
  RowHandler& handler_;
  detail::CsvRecordReader reader_;

  Columns columns_;
  bool have_columns_ = false;
  std::vector<Field> fields_;  // reused for every row
  std::vector<char> scratch_;  // unescaped fields of the current row
  std::uint64_t rows_ = 0;     // data rows so far, bad ones included
  std::uint64_t fed_ = 0;
  bool bom_pending_;
  std::string head_;  // first bytes while a BOM is still possible
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<Parser> make_csv_parser(const CsvDialect& dialect, bool skip_bom, const Limits& limits,
                                        RowHandler& handler) {
  return std::make_unique<CsvParser>(dialect, skip_bom, limits, handler);
}

}  // namespace fastthread
