// A log format string (nginx `log_format` or Apache `LogFormat` syntax) compiled into a
// sequence of literals and fields, and the matcher that reads one line by it (internal;
// the rules are in parser.hpp's log section).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/field.hpp"
#include "log_line.hpp"

namespace fastthread::detail {

enum class LogSyntax : std::uint8_t { nginx, apache };

// What a field's text is and what it becomes.
enum class LogFieldRule : std::uint8_t {
  plain,     // kept as written; "-" is null
  clf_time,  // exactly "10/Oct/2000:13:55:36 -0700", rewritten as ISO 8601
  request,   // "METHOD TARGET PROTOCOL", three columns split as in the combined variant
};

struct LogTemplateItem {
  std::string literal;  // a literal when not empty; otherwise a field
  LogFieldRule rule = LogFieldRule::plain;
  bool quoted = false;        // between '"'s: read up to the '"' a backslash does not hide
  std::size_t column = 0;     // the field's (first) column
  std::size_t time_slot = 0;  // clf_time: its buffer
  std::string expected;       // what a mismatch here says was expected
  std::string field;          // the column a mismatch here is blamed on ("" for the request)
};

struct LogTime {
  char text[kIsoTimeLength] = {};
};

class LogTemplate {
 public:
  // Compiles `format`: nginx syntax when its first '$' comes before its first '%', else
  // Apache syntax. nullopt with `error` (naming the character) when it is malformed.
  static std::optional<LogTemplate> compile(std::string_view format, std::string& error);

  LogSyntax syntax() const { return syntax_; }
  const std::vector<std::string>& columns() const { return columns_; }

  // Reads `line` (no line end) into `fields`, columns().size() of them, as views into the
  // line or into this template's time buffers (valid until the next call). Returns false
  // with `error` when the line does not follow the format. Never allocates.
  bool match(std::string_view line, Field* fields, LogError& error);

 private:
  friend struct LogTemplateBuilder;
  LogSyntax syntax_ = LogSyntax::nginx;
  std::vector<LogTemplateItem> items_;
  std::vector<std::string> columns_;
  std::vector<LogTime> times_;
};

}  // namespace fastthread::detail
