#include "csv_record_reader.hpp"

namespace fastthread::detail {

CsvRecordReader::CsvRecordReader(char delimiter, char quote, std::uint64_t max_record_bytes,
                                 CsvRecordSink& sink)
    : delim_(delimiter),
      quote_(quote),
      max_record_bytes_(max_record_bytes),
      sink_(sink),
      unquoted_needles_(delimiter, '\n', '\r'),
      quoted_needles_(quote, '\n', '\r') {}

bool CsvRecordReader::feed(std::string_view chunk) {
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
      if (c == '\n' || c == '\r') {  // a blank line: counted, not a record
        ++line_;
        skip_lf_ = c == '\r';
        ++p;
        continue;
      }
      start_record(p, pos_ + static_cast<std::uint64_t>(p - begin));
      carried = false;
    }
    if (!scan(p, end)) break;
    bool ok = true;
    if (skipping_) {
      // Reported when it crossed the limit; nothing was kept.
    } else if (rec_size_ > max_record_bytes_) {
      ok = sink_.on_record_too_large(rec_offset_, rec_line_);
    } else if (carried) {
      carry_.append(begin, rec_size_ - carry_.size());
      ok = hand_over(carry_.data());
    } else {
      ok = hand_over(seg_);
    }
    in_record_ = false;
    carried = false;
    if (!ok) return false;
  }
  if (in_record_ && !skipping_) {
    // Keep the unfinished record, unless it is already past the limit.
    if (rel(end) > max_record_bytes_) {
      skipping_ = true;
      carry_.clear();
      if (!sink_.on_record_too_large(rec_offset_, rec_line_)) return false;
    } else if (carried) {
      carry_.append(begin, end);
    } else {
      carry_.assign(seg_, end);
    }
  }
  pos_ += chunk.size();
  return true;
}

bool CsvRecordReader::finish() {
  if (!in_record_) return true;
  in_record_ = false;
  if (skipping_) return true;
  if (state_ == State::quoted || state_ == State::quoted_cr) {
    return sink_.on_unterminated_quote(rec_offset_ + field_begin_, rec_line_ + field_lines_);
  }
  // The last record lacks its line end: it is complete, and entirely in the carry.
  if (state_ == State::field_start) {  // after a delimiter: one more, empty, field
    field_begin_ = carry_.size();
    field_flags_ = 0;
  }
  end_field(carry_.size());
  rec_size_ = carry_.size();
  return hand_over(carry_.data());
}

void CsvRecordReader::start_record(const char* p, std::uint64_t offset) {
  in_record_ = true;
  skipping_ = false;
  carry_.clear();
  state_ = State::field_start;
  rec_offset_ = offset;
  rec_line_ = line_;
  rec_lines_ = 0;
  high_ = 0;
  field_count_ = 0;
  spans_.clear();
  seg_ = p;
  seg_rel_ = 0;
}

bool CsvRecordReader::hand_over(const char* bytes) {
  const CsvRecord record{
      bytes, rec_size_, spans_, field_count_, rec_offset_, rec_line_, (high_ & 0x8080808080808080ull) != 0};
  return sink_.on_record(record);
}

// Advances `p` through the current record. Returns true when its line end was reached (`p`
// then follows it), false when the chunk ran out first (`p` == `end`).
bool CsvRecordReader::scan(const char*& p, const char* end) {
  for (;;) {
    switch (state_) {
      case State::field_start: {
        if (p == end) return false;
        const char c = *p;
        high_ |= static_cast<unsigned char>(c);
        field_begin_ = rel(p);
        field_flags_ = 0;
        if (c == quote_) {
          field_flags_ = CsvFieldSpan::quoted;
          field_lines_ = rec_lines_;
          state_ = State::quoted;
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
        state_ = State::unquoted;
        ++p;
        [[fallthrough]];
      }
      case State::unquoted: {
        const char* s = find_any(p, end, unquoted_needles_, high_);
        if (s == end) {
          p = end;
          return false;
        }
        end_field(rel(s));
        p = s + 1;
        if (*s == delim_) {
          state_ = State::field_start;
          continue;
        }
        end_record(s);
        return true;
      }
      case State::quoted: {
        const char* s = find_any(p, end, quoted_needles_, high_);
        if (s == end) {
          p = end;
          return false;
        }
        p = s + 1;
        if (*s == quote_) {
          state_ = State::after_quote;
          continue;
        }
        // A line end inside quotes is content but still a physical line (CRLF is one).
        ++rec_lines_;
        if (*s == '\r') state_ = State::quoted_cr;
        continue;
      }
      case State::quoted_cr:
        if (p == end) return false;
        if (*p == '\n') ++p;
        state_ = State::quoted;
        continue;
      case State::after_quote: {
        if (p == end) return false;
        const char c = *p;
        high_ |= static_cast<unsigned char>(c);
        if (c == quote_) {  // a doubled quote: one quote of content
          field_flags_ |= CsvFieldSpan::unescape;
          state_ = State::quoted;
          ++p;
          continue;
        }
        if (c == delim_) {
          end_field(rel(p));
          state_ = State::field_start;
          ++p;
          continue;
        }
        if (c == '\n' || c == '\r') {
          end_field(rel(p));
          end_record(p++);
          return true;
        }
        // Lenient like Python's csv: `"ab"cd` is `abcd`, the rest of the field literal.
        field_flags_ |= CsvFieldSpan::unescape;
        state_ = State::unquoted;
        ++p;
        continue;
      }
    }
  }
}

void CsvRecordReader::end_field(std::size_t end_rel) {
  ++field_count_;
  // Fields past the cap only make the record ragged: count them, do not keep them.
  if (spans_.size() < field_cap_ && !skipping_) spans_.push_back({field_begin_, end_rel, field_flags_});
}

void CsvRecordReader::end_record(const char* line_end) {
  rec_size_ = rel(line_end);
  skip_lf_ = *line_end == '\r';
  line_ = rec_line_ + rec_lines_ + 1;
  state_ = State::field_start;
}

}  // namespace fastthread::detail
