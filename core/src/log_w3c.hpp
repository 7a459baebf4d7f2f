// W3C extended log files (IIS and others), read by their directives (internal; the rules
// are in parser.hpp's log section).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/columns.hpp"
#include "fastthread/field.hpp"

namespace fastthread::detail {

// True when `line` is a directive ("#Software:", "#Version:", "#Date:", "#Fields:", ...).
inline bool is_w3c_directive(std::string_view line) {
  return line.starts_with('#');
}

// Takes the non-blank lines of one file in order. "#Fields:" names the columns of the data
// lines after it, by name: a name seen before keeps its column, a new one is added at the
// end of `columns`, and a column the current list lacks is missing in its rows.
class W3cReader {
 public:
  enum class Outcome : std::uint8_t { directive, row, bad };
  struct Problem {
    ErrorCode code = ErrorCode::bad_log_line;
    std::string message, column;
  };

  W3cReader(Columns& columns, std::uint64_t max_columns) : columns_(columns), max_columns_(max_columns) {}

  // A row leaves its fields in fields(); a bad line leaves its reason in problem().
  Outcome read(std::string_view line);
  std::span<const Field> fields() const { return fields_; }
  const Problem& problem() const { return problem_; }

 private:
  Outcome read_fields(std::string_view line);
  Outcome bad(ErrorCode code, std::string message, std::string column = {});

  Columns& columns_;
  const std::uint64_t max_columns_;
  std::string fields_line_;        // the #Fields: line in effect ("" before the first)
  std::vector<std::size_t> slots_; // column of each value of a data line
  std::vector<Field> fields_;
  Problem problem_;
};

}  // namespace fastthread::detail
