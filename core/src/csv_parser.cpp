// The streaming CSV/TSV parser: RFC 4180 plus what real files do (lone CR line ends, blank
// lines, lenient quotes), resumable at any byte so every chunking gives the same rows.
#include <limits>
#include <string>
#include <vector>

#include "csv_header.hpp"
#include "csv_scan.hpp"
#include "fastthread/parser.hpp"
#include "utf8.hpp"

namespace fastthread {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// One field of the record being read, as offsets from the record's first byte.
struct FieldSpan {
  std::size_t begin;  // first raw byte (the opening quote of a quoted field)
  std::size_t end;    // the delimiter or line end that closed it
  std::uint8_t flags;
};
constexpr std::uint8_t kQuoted = 1;
constexpr std::uint8_t kUnescape = 2;  // doubled quotes or bytes after the closing quote

// Where the scanner stands inside a record; kept between chunks so no byte is read twice.
enum class ScanState : std::uint8_t { field_start, unquoted, quoted, quoted_cr, after_quote };

std::string num(std::uint64_t value) { return std::to_string(value); }
std::string field_count(std::uint64_t count) { return num(count) + (count == 1 ? " field" : " fields"); }

class CsvParser final : public Parser {
 public:
  CsvParser(const CsvDialect& dialect, bool skip_bom, const Limits& limits, RowHandler& handler)
      : delim_(dialect.delimiter),
        quote_(dialect.quote),
        header_present_(dialect.header == HeaderMode::present),
        limits_(limits),
        handler_(handler),
        unquoted_needles_(dialect.delimiter, '\n', '\r'),
        quoted_needles_(dialect.quote, '\n', '\r'),
        bom_pending_(skip_bom),
        span_cap_(cap(limits.max_columns)) {}

  bool feed(std::string_view chunk) override {
    if (stopped_) return false;
    fed_ += chunk.size();
    if (bom_pending_) {
      // Hold the first bytes until they show whether the input starts with a BOM.
      while (!chunk.empty() && head_.size() < kBom.size() && kBom.starts_with(head_)) {
        head_ += chunk.front();
        chunk.remove_prefix(1);
      }
      if (head_ == kBom) {
        bom_pending_ = false;
        pos_ = kBom.size();
      } else if (!kBom.starts_with(head_)) {
        bom_pending_ = false;
        const std::string head = std::move(head_);
        if (!parse(head)) return false;
      } else {
        return true;
      }
    }
    return parse(chunk);
  }

  bool finish() override {
    if (stopped_) return false;
    if (bom_pending_) {
      bom_pending_ = false;
      const std::string head = std::move(head_);
      if (!parse(head)) return false;
    }
    if (!in_record_) return true;
    bool ok = true;
    if (skipping_) {
      // Already reported as too large.
    } else if (state_ == ScanState::quoted || state_ == ScanState::quoted_cr) {
      const Place place{next_row(), rec_line_ + field_lines_, rec_offset_ + field_begin_};
      ok = report("unterminated_quote",
                  "the quoted field starting at line " + num(place.line) + " has no closing quote", place);
    } else {
      // The last record lacks its line end: it is complete, and entirely in the carry.
      if (state_ == ScanState::field_start) {
        field_begin_ = carry_.size();
        field_flags_ = 0;
      }
      end_field(carry_.size());
      rec_size_ = carry_.size();
      ok = complete_record(carry_.data());
    }
    reset_record();
    return keep_going(ok);
  }

  const Columns& columns() const override { return columns_; }
  std::uint64_t bytes() const override { return fed_; }

 private:
  static std::size_t cap(std::uint64_t columns) {
    constexpr std::uint64_t most = std::numeric_limits<std::size_t>::max() - 1;
    return static_cast<std::size_t>(columns < most ? columns : most) + 1;
  }

  bool keep_going(bool ok) {
    if (!ok) stopped_ = true;
    return ok;
  }

  // Record-relative offset of `p` in the current segment (the chunk part of the record).
  std::size_t rel(const char* p) const { return static_cast<std::size_t>(p - seg_) + seg_rel_; }

  bool is_header() const { return header_present_ && !have_columns_; }
  std::uint64_t next_row() { return is_header() ? 0 : ++rows_; }
  std::string row_name(std::uint64_t row) const { return row == 0 ? "the header" : "row " + num(row); }

  bool parse(std::string_view chunk) {
    const char* const begin = chunk.data();
    const char* const end = begin + chunk.size();
    const char* p = begin;
    // A record carried over from earlier chunks continues at this chunk's first byte.
    bool carried = in_record_;
    if (carried) {
      seg_ = begin;
      seg_rel_ = carry_.size();
    }
    while (p < end) {
      if (!in_record_) {
        const char c = *p;
        if (skip_lf_) {
          skip_lf_ = false;
          if (c == '\n') {  // the LF of a CRLF whose CR ended the previous line
            ++p;
            continue;
          }
        }
        if (c == '\n' || c == '\r') {  // a blank line: counted, not a row
          ++line_;
          skip_lf_ = c == '\r';
          ++p;
          continue;
        }
        start_record(p, static_cast<std::uint64_t>(p - begin));
        carried = false;
      }
      if (!scan(p, end)) break;
      bool ok = true;
      if (skipping_) {
        // Reported when it crossed the limit; nothing was kept.
      } else if (rec_size_ > limits_.max_record_bytes) {
        ok = report_too_large();
      } else if (carried) {
        carry_.append(begin, rec_size_ - carry_.size());
        ok = complete_record(carry_.data());
      } else {
        ok = complete_record(seg_);
      }
      reset_record();
      carried = false;
      if (!keep_going(ok)) return false;
    }
    if (in_record_ && !skipping_) {
      // Keep the unfinished record, unless it is already past the limit.
      const std::size_t have = rel(end);
      if (have > limits_.max_record_bytes) {
        skipping_ = true;
        carry_.clear();
        if (!keep_going(report_too_large())) return false;
      } else if (carried) {
        carry_.append(begin, end);
      } else {
        carry_.assign(seg_, end);
      }
    }
    pos_ += chunk.size();
    return true;
  }

  void start_record(const char* p, std::uint64_t index_in_chunk) {
    in_record_ = true;
    state_ = ScanState::field_start;
    rec_offset_ = pos_ + index_in_chunk;
    rec_line_ = line_;
    rec_lines_ = 0;
    high_ = 0;
    field_count_ = 0;
    spans_.clear();
    seg_ = p;
    seg_rel_ = 0;
  }

  void reset_record() {
    in_record_ = false;
    skipping_ = false;
    carry_.clear();
  }

  // Advances `p` through the current record. Returns true when its line end was reached
  // (`p` then follows it), false when the chunk ran out first (`p` == `end`).
  bool scan(const char*& p, const char* end) {
    for (;;) {
      switch (state_) {
        case ScanState::field_start: {
          if (p == end) return false;
          const char c = *p;
          high_ |= static_cast<unsigned char>(c);
          field_begin_ = rel(p);
          field_flags_ = 0;
          if (c == quote_) {
            field_flags_ = kQuoted;
            field_lines_ = rec_lines_;
            state_ = ScanState::quoted;
            ++p;
            continue;
          }
          if (c == delim_) {
            end_field(field_begin_);
            ++p;
            continue;
          }
          if (c == '\n' || c == '\r') {
            end_field(field_begin_);
            end_record(p++);
            return true;
          }
          // A quote later in an unquoted field is an ordinary byte.
          state_ = ScanState::unquoted;
          ++p;
          [[fallthrough]];
        }
        case ScanState::unquoted: {
          const char* s = detail::find_any(p, end, unquoted_needles_, high_);
          if (s == end) {
            p = end;
            return false;
          }
          end_field(rel(s));
          p = s + 1;
          if (*s == delim_) {
            state_ = ScanState::field_start;
            continue;
          }
          end_record(s);
          return true;
        }
        case ScanState::quoted: {
          const char* s = detail::find_any(p, end, quoted_needles_, high_);
          if (s == end) {
            p = end;
            return false;
          }
          p = s + 1;
          if (*s == quote_) {
            state_ = ScanState::after_quote;
            continue;
          }
          // A line end inside quotes is content but still a physical line (CRLF is one).
          ++rec_lines_;
          if (*s == '\r') state_ = ScanState::quoted_cr;
          continue;
        }
        case ScanState::quoted_cr:
          if (p == end) return false;
          if (*p == '\n') ++p;
          state_ = ScanState::quoted;
          continue;
        case ScanState::after_quote: {
          if (p == end) return false;
          const char c = *p;
          high_ |= static_cast<unsigned char>(c);
          if (c == quote_) {  // a doubled quote: one quote of content
            field_flags_ |= kUnescape;
            state_ = ScanState::quoted;
            ++p;
            continue;
          }
          if (c == delim_) {
            end_field(rel(p));
            state_ = ScanState::field_start;
            ++p;
            continue;
          }
          if (c == '\n' || c == '\r') {
            end_field(rel(p));
            end_record(p++);
            return true;
          }
          // Lenient like Python's csv: `"ab"cd` is `abcd`, the rest of the field literal.
          field_flags_ |= kUnescape;
          state_ = ScanState::unquoted;
          ++p;
          continue;
        }
      }
    }
  }

  void end_field(std::size_t end_rel) {
    ++field_count_;
    // Fields past the column count only make the row ragged: count them, do not keep them.
    if (spans_.size() < span_cap_ && !skipping_) spans_.push_back({field_begin_, end_rel, field_flags_});
  }

  void end_record(const char* line_end) {
    rec_size_ = rel(line_end);
    skip_lf_ = *line_end == '\r';
    line_ = rec_line_ + rec_lines_ + 1;
    state_ = ScanState::field_start;
  }

  bool report(std::string code, std::string message, const Place& place, std::string column = {}) {
    return handler_.on_bad_row(Issue{std::move(code), std::move(message), place, std::move(column)});
  }

  bool report_too_large() {
    const Place place{next_row(), rec_line_, rec_offset_};
    return report("record_too_large",
                  row_name(place.row) + " is longer than the limit of " + num(limits_.max_record_bytes) +
                      " bytes; skipped",
                  place);
  }

  // The content of field `s` of the record at `rec`; unescaped fields go to the scratch
  // buffer at `out`, which is sized once per record so earlier views stay valid.
  std::string_view field_text(const char* rec, const FieldSpan& s, char*& out) {
    if (!(s.flags & kQuoted)) return {rec + s.begin, s.end - s.begin};
    if (!(s.flags & kUnescape)) return {rec + s.begin + 1, s.end - s.begin - 2};
    if (out == nullptr) {
      if (scratch_.size() < rec_size_) scratch_.resize(rec_size_);
      out = scratch_.data();
    }
    const std::size_t size = detail::unescape_quoted(rec + s.begin, s.end - s.begin, quote_, out);
    const std::string_view text(out, size);
    out += size;
    return text;
  }

  // Input offset of byte `index` of field `s`'s content.
  std::uint64_t content_offset(const char* rec, const FieldSpan& s, std::size_t index) const {
    std::size_t raw = s.begin + index;
    if (s.flags & kUnescape) {
      raw = s.begin + detail::unescaped_source_index(rec + s.begin, s.end - s.begin, quote_, index);
    } else if (s.flags & kQuoted) {
      raw += 1;
    }
    return rec_offset_ + raw;
  }

  bool complete_record(const char* rec) { return have_columns_ ? emit_row(rec) : set_columns(rec); }

  // The first record fixes the columns: their names (header present) or their count.
  bool set_columns(const char* rec) {
    if (field_count_ > limits_.max_columns) {
      const Place place{next_row(), rec_line_, rec_offset_};
      return report("too_many_columns",
                    row_name(place.row) + " has " + field_count(field_count_) + ", more than the limit of " +
                        num(limits_.max_columns) + " columns",
                    place);
    }
    const std::size_t count = spans_.size();
    if (header_present_) {
      detail::CsvHeaderNames names(columns_);
      char* out = nullptr;
      for (std::size_t i = 0; i < count; ++i) {
        std::string_view name = field_text(rec, spans_[i], out);
        const std::size_t bad =
            (high_ & kHighBits) ? detail::find_invalid_utf8(name) : std::string_view::npos;
        if (bad != std::string_view::npos) {
          // Names must be text: the column keeps its positional name.
          const std::string fallback = "column_" + num(i + 1);
          const Place place{0, rec_line_, rec_offset_};
          if (!report("invalid_utf8",
                      "invalid UTF-8 at byte " + num(content_offset(rec, spans_[i], bad)) +
                          " in the header; the column is named " + fallback,
                      place, fallback)) {
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
    span_cap_ = count + 1;
    fields_.assign(count, Field{{}, FieldKind::text});
    return header_present_ ? true : emit_row(rec);
  }

  bool emit_row(const char* rec) {
    const Place place{next_row(), rec_line_, rec_offset_};
    const std::size_t count = fields_.size();
    if (field_count_ != count) {
      return report("ragged_row",
                    "row " + num(place.row) + " has " + field_count(field_count_) + ", expected " + num(count),
                    place);
    }
    char* out = nullptr;
    for (std::size_t i = 0; i < count; ++i) fields_[i].text = field_text(rec, spans_[i], out);
    if (high_ & kHighBits) {
      for (std::size_t i = 0; i < count; ++i) {
        const std::size_t bad = detail::find_invalid_utf8(fields_[i].text);
        if (bad == std::string_view::npos) continue;
        const std::string& column = columns_.name(i);
        return report("invalid_utf8",
                      "invalid UTF-8 at byte " + num(content_offset(rec, spans_[i], bad)) + " in column \"" +
                          column + "\" of row " + num(place.row),
                      place, column);
      }
    }
    return handler_.on_row(fields_, place);
  }

  const char delim_;
  const char quote_;
  const bool header_present_;
  const Limits limits_;
  RowHandler& handler_;
  const detail::CsvNeedles unquoted_needles_;
  const detail::CsvNeedles quoted_needles_;

  Columns columns_;
  bool have_columns_ = false;
  std::vector<Field> fields_;  // reused for every row
  std::vector<char> scratch_;  // unescaped fields of the current row
  std::uint64_t rows_ = 0;     // data rows so far, bad ones included
  std::uint64_t line_ = 1;     // physical line where the next record starts
  std::uint64_t pos_ = 0;      // input offset of the chunk being parsed
  std::uint64_t fed_ = 0;
  bool bom_pending_;
  std::string head_;      // first bytes while a BOM is still possible
  bool skip_lf_ = false;  // a CR ended the last line; an LF right after belongs to it
  bool stopped_ = false;

  // The record being read.
  bool in_record_ = false;
  bool skipping_ = false;  // longer than the limit: read to its end, keep nothing
  ScanState state_ = ScanState::field_start;
  std::uint64_t rec_offset_ = 0;
  std::uint64_t rec_line_ = 0;
  std::uint64_t rec_lines_ = 0;    // line ends inside quotes so far
  std::uint64_t high_ = 0;         // OR of (at least) every byte read: non-ASCII seen?
  std::uint64_t field_count_ = 0;  // may exceed spans_.size()
  std::size_t field_begin_ = 0;
  std::uint64_t field_lines_ = 0;  // rec_lines_ where the current quoted field opened
  std::uint8_t field_flags_ = 0;
  std::size_t rec_size_ = 0;  // bytes before its line end, set when it ends
  std::size_t span_cap_;
  std::vector<FieldSpan> spans_;
  const char* seg_ = nullptr;  // where the record's bytes in this chunk begin
  std::size_t seg_rel_ = 0;    // their offset in the record
  std::string carry_;          // the record so far, when it straddles chunks
};

}  // namespace

std::unique_ptr<Parser> make_csv_parser(const CsvDialect& dialect, bool skip_bom, const Limits& limits,
                                        RowHandler& handler) {
  return std::make_unique<CsvParser>(dialect, skip_bom, limits, handler);
}

}  // namespace fastthread
