// What the NDJSON and the JSON-array parsers share (internal): BOM, stop, reporting.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "fastthread/parser.hpp"
#include "json_record.hpp"

namespace fastthread::detail {

// The framing (where a record starts and ends) differs per subclass; the rest is here.
// Places: a row's byte_offset is where its record starts; a bad row's byte_offset is the
// offending byte (the message names it) and its line the line where the record starts.
class JsonParserBase : public Parser {
 public:
  JsonParserBase(bool skip_bom, const Limits& limits, RowHandler& handler, std::string_view end_name,
                 std::string_view trailer)
      : limits_(limits),
        record_(limits_, columns_, end_name, trailer),
        handler_(handler),
        bom_pending_(skip_bom) {}

  bool feed(std::string_view chunk) final {
    if (stopped_) return false;
    bytes_ += chunk.size();
    if (bom_pending_) {
      // The BOM may arrive split over chunks: hold its bytes until it is whole or broken.
      static constexpr std::string_view kBom = "\xEF\xBB\xBF";
      while (!chunk.empty() && bom_seen_.size() < 3 && chunk.front() == kBom[bom_seen_.size()]) {
        bom_seen_ += chunk.front();
        chunk.remove_prefix(1);
      }
      if (bom_seen_.size() == 3) {
        bom_pending_ = false;
        offset_ = 3;
      } else if (chunk.empty()) {
        return true;
      } else if (!release_bom_prefix()) {
        return false;
      }
    }
    return chunk.empty() || consume(chunk);
  }

  bool finish() final {
    if (stopped_) return false;
    if (bom_pending_ && !release_bom_prefix()) return false;
    return finish_records();
  }

  const Columns& columns() const final { return columns_; }
  std::uint64_t bytes() const final { return bytes_; }

 protected:
  // Parses the bytes of `chunk`, which start at offset_, and adds its size to offset_.
  // Returns false when the handler stopped.
  virtual bool consume(std::string_view chunk) = 0;
  // End of input (offset_ is then the input size).
  virtual bool finish_records() = 0;

  bool report(ErrorCode code, std::string message, const Place& place, std::string column = {}) {
    Issue issue{code, std::move(message), place, std::move(column), {}};
    if (!handler_.on_bad_row(issue)) stopped_ = true;
    return !stopped_;
  }

  // Reports the record parser's problem for the record at `place`, adding `suffix`.
  bool report_problem(const Place& place, std::string_view suffix = {}) {
    const JsonProblem& problem = record_.problem();
    return report(problem.code, problem.message + std::string(suffix),
                  Place{place.row, place.line, problem.offset}, problem.column);
  }

  // Parses one whole record and hands it on as a row or a bad row.
  bool emit_record(std::string_view text, const Place& place) {
    if (!record_.parse(text, place.byte_offset)) return report_problem(place);
    const bool go_on = handler_.on_row(record_.fields(), place);
    record_.clear_row();
    if (!go_on) stopped_ = true;
    return go_on;
  }

  const Limits limits_;
  Columns columns_;
  JsonRecordParser record_;
  std::uint64_t offset_ = 0;  // input offset of the next byte consume() gets
  bool stopped_ = false;

 private:
  // The input began like a BOM but is not one: those bytes are data.
  bool release_bom_prefix() {
    bom_pending_ = false;
    const std::string held = std::exchange(bom_seen_, std::string());
    return held.empty() || consume(held);
  }

  RowHandler& handler_;
  std::uint64_t bytes_ = 0;
  bool bom_pending_;
  std::string bom_seen_;
};

std::unique_ptr<Parser> make_json_array_parser(bool skip_bom, const Limits& limits, RowHandler& handler);

}  // namespace fastthread::detail
