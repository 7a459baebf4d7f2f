#include "log_w3c.hpp"

#include <algorithm>

namespace fastthread::detail {
namespace {

constexpr std::string_view kFields = "#Fields:";

bool is_separator(char c) {
  return c == ' ' || c == '\t';
}

// The next space- or tab-separated word from `pos`, moving `pos` past it; empty at the end.
std::string_view next_word(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && is_separator(line[pos])) ++pos;
  const std::size_t start = pos;
  while (pos < line.size() && !is_separator(line[pos])) ++pos;
  return line.substr(start, pos - start);
}

}  // namespace

W3cReader::Outcome W3cReader::bad(ErrorCode code, std::string message, std::string column) {
  problem_ = Problem{code, std::move(message), std::move(column)};
  return Outcome::bad;
}

W3cReader::Outcome W3cReader::read_fields(std::string_view line) {
  // IIS writes the same header again after every restart: nothing changes then.
  if (line == fields_line_) return Outcome::directive;
  std::vector<std::string> names;
  std::size_t pos = kFields.size();
  for (std::string_view word = next_word(line, pos); !word.empty(); word = next_word(line, pos)) {
    std::string name(word);
    for (int k = 2; std::find(names.begin(), names.end(), name) != names.end(); ++k)
      name = std::string(word) + "_" + std::to_string(k);
    names.push_back(std::move(name));
  }
  // A rejected list leaves no list in effect, so later data lines are not misread by an
  // older one.
  fields_line_.clear();
  slots_.clear();
  if (names.empty()) return bad(ErrorCode::bad_log_line, "expected field names after #Fields:");
  std::size_t added = 0;
  for (const std::string& name : names) added += columns_.find(name) == Columns::npos ? 1 : 0;
  if (columns_.size() + added > max_columns_) {
    return bad(ErrorCode::too_many_columns, "expected at most " + std::to_string(max_columns_) +
                                       " columns (max_columns), found " +
                                       std::to_string(columns_.size() + added));
  }
  for (const std::string& name : names) slots_.push_back(columns_.intern(name));
  fields_line_ = std::string(line);
  return Outcome::directive;
}

W3cReader::Outcome W3cReader::read(std::string_view line) {
  if (is_w3c_directive(line)) return line.starts_with(kFields) ? read_fields(line) : Outcome::directive;
  if (slots_.empty()) return bad(ErrorCode::bad_log_line, "expected a #Fields: directive before the first data line");
  fields_.assign(columns_.size(), Field{});
  std::size_t pos = 0, count = 0;
  while (true) {
    while (pos < line.size() && is_separator(line[pos])) ++pos;
    if (pos >= line.size()) break;
    if (count == slots_.size()) {
      return bad(ErrorCode::bad_log_line, "expected " + std::to_string(slots_.size()) +
                                     " values as #Fields: names, found more at column " +
                                     std::to_string(pos + 1));
    }
    const std::string& column = columns_.name(slots_[count]);
    std::string_view text;
    if (line[pos] == '"') {
      // Quoted strings (allowed by the W3C draft) may hold spaces; IIS never writes them.
      const std::size_t close = line.find('"', pos + 1);
      if (close == std::string_view::npos) {
        return bad(ErrorCode::bad_log_line, "expected '\"' ending the value at column " + std::to_string(pos + 1),
                   column);
      }
      text = line.substr(pos + 1, close - pos - 1);
      pos = close + 1;
      if (pos < line.size() && !is_separator(line[pos])) {
        return bad(ErrorCode::bad_log_line, "expected a space after the quoted value at column " + std::to_string(pos + 1),
                   column);
      }
    } else {
      text = next_word(line, pos);
    }
    fields_[slots_[count]] = Field{text, text == "-" ? FieldKind::null : FieldKind::text};
    ++count;
  }
  if (count < slots_.size()) {
    return bad(ErrorCode::bad_log_line, "expected " + std::to_string(slots_.size()) + " values as #Fields: names, found " +
                                   std::to_string(count),
               columns_.name(slots_[count]));
  }
  return Outcome::row;
}

}  // namespace fastthread::detail
