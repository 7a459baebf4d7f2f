// Splits CSV bytes into records and fields, resumable at any byte (internal). It knows
// quotes, line ends and limits; rows, columns and text checks are the parser's business.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "csv_scan.hpp"

namespace fastthread::detail {

// One field of a record, as offsets from the record's first byte.
struct CsvFieldSpan {
  std::size_t begin;  // first raw byte (the opening quote of a quoted field)
  std::size_t end;    // the delimiter or line end that closed it
  std::uint8_t flags;

  static constexpr std::uint8_t quoted = 1;
  static constexpr std::uint8_t unescape = 2;  // doubled quotes or bytes after the closing quote
};

// A complete record; valid only during the call that hands it over.
struct CsvRecord {
  const char* bytes;  // from its first byte up to (not including) its line end
  std::size_t size;
  std::span<const CsvFieldSpan> fields;  // the first min(field_count, field cap) fields
  std::uint64_t field_count;
  std::uint64_t offset;  // input offset of its first byte
  std::uint64_t line;    // physical line it starts on
  bool maybe_non_ascii;  // false only when every byte is ASCII
};

// What the reader finds; each returns false to stop reading.
class CsvRecordSink {
 public:
  virtual bool on_record(const CsvRecord& record) = 0;
  // A record longer than the limit; the rest of it is skipped unread.
  virtual bool on_record_too_large(std::uint64_t offset, std::uint64_t line) = 0;
  // The input ended inside the quoted field that opened at `quote_offset`/`quote_line`.
  virtual bool on_unterminated_quote(std::uint64_t quote_offset, std::uint64_t quote_line) = 0;

 protected:
  ~CsvRecordSink() = default;
};

class CsvRecordReader {
 public:
  CsvRecordReader(char delimiter, char quote, std::uint64_t max_record_bytes, CsvRecordSink& sink);

  // Input offset of the next byte fed (to account for a skipped BOM).
  void set_offset(std::uint64_t offset) { pos_ = offset; }
  // How many fields of a record to keep; later ones are only counted.
  void set_field_cap(std::size_t cap) { field_cap_ = cap; }

  // Hands over every record `chunk` completes and keeps the incomplete tail. False: stopped.
  bool feed(std::string_view chunk);
  // End of input: the last record may lack its line end.
  bool finish();

 private:
  enum class State : std::uint8_t { field_start, unquoted, quoted, quoted_cr, after_quote };

  std::size_t rel(const char* p) const { return static_cast<std::size_t>(p - seg_) + seg_rel_; }
  void start_record(const char* p, std::uint64_t offset);
  bool scan(const char*& p, const char* end);
  void end_field(std::size_t end_rel);
  void end_record(const char* line_end);
  bool hand_over(const char* bytes);

  const char delim_;
  const char quote_;
  const std::uint64_t max_record_bytes_;
  CsvRecordSink& sink_;
  const CsvNeedles unquoted_needles_;
  const CsvNeedles quoted_needles_;
  std::size_t field_cap_ = SIZE_MAX;

  std::uint64_t pos_ = 0;   // input offset of the chunk being read
  std::uint64_t line_ = 1;  // physical line where the next record starts
  bool skip_lf_ = false;    // a CR ended the last line; an LF right after belongs to it

  // The record being read.
  bool in_record_ = false;
  bool skipping_ = false;  // longer than the limit: read to its end, keep nothing
  State state_ = State::field_start;
  std::uint64_t rec_offset_ = 0;
  std::uint64_t rec_line_ = 0;
  std::uint64_t rec_lines_ = 0;  // line ends inside quotes so far
  std::uint64_t high_ = 0;       // OR of (at least) every byte read: non-ASCII seen?
  std::uint64_t field_count_ = 0;
  std::size_t field_begin_ = 0;
  std::uint64_t field_lines_ = 0;  // rec_lines_ where the current quoted field opened
  std::uint8_t field_flags_ = 0;
  std::size_t rec_size_ = 0;  // bytes before its line end, set when it ends
  std::vector<CsvFieldSpan> spans_;
  const char* seg_ = nullptr;  // where the record's bytes in this chunk begin
  std::size_t seg_rel_ = 0;    // their offset in the record
  std::string carry_;          // the record so far, when it straddles chunks
};

}  // namespace fastthread::detail
