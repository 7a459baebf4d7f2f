// The streaming access-log parser: one line is one row (rules in parser.hpp).
#include <cstring>
#include <string>
#include <vector>

#include "fastthread/parser.hpp"
#include "log_line.hpp"
#include "log_template.hpp"
#include "log_w3c.hpp"
#include "utf8.hpp"

namespace fastthread {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_blank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

class LogParser final : public Parser {
 public:
  LogParser(LogVariant variant, bool skip_bom, const Limits& limits, RowHandler& handler)
      : combined_(variant == LogVariant::combined),
        skip_bom_(skip_bom),
        max_record_bytes_(limits.max_record_bytes),
        handler_(handler) {
    if (variant == LogVariant::w3c) w3c_ = std::make_unique<detail::W3cReader>(columns_, limits.max_columns);
    if (variant != LogVariant::common && variant != LogVariant::combined) return;
    const std::size_t count = combined_ ? detail::kCombinedLogColumns : detail::kCommonLogColumns;
    for (std::size_t i = 0; i < count; ++i) columns_.intern(detail::kLogColumnNames[i]);
  }

  LogParser(detail::LogTemplate format, bool skip_bom, const Limits& limits, RowHandler& handler)
      : LogParser(LogVariant::custom, skip_bom, limits, handler) {
    template_ = std::make_unique<detail::LogTemplate>(std::move(format));
    for (const std::string& name : template_->columns()) columns_.intern(name);
    template_fields_.resize(columns_.size());
  }

  bool feed(std::string_view chunk) override {
    if (stopped_) return false;
    const std::uint64_t base = bytes_;  // input offset of chunk[0]
    bytes_ += chunk.size();
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      const void* found = std::memchr(chunk.data() + pos, '\n', chunk.size() - pos);
      const std::size_t end =
          found ? static_cast<std::size_t>(static_cast<const char*>(found) - chunk.data()) : chunk.size();
      const std::uint64_t next_line_start = base + end + 1;
      if (skipping_) {
        if (!found) return true;
        skipping_ = false;
        next_line(next_line_start);
        pos = end + 1;
        continue;
      }
      const std::size_t length = end - pos;
      // The limit counts the line's bytes without its '\n': known to be crossed as soon as
      // the buffered part is longer, so an endless line is never held in memory.
      if (carry_.size() + length > max_record_bytes_) {
        carry_.clear();
        const bool go_on = report_too_large();
        if (!found) {
          skipping_ = true;
        } else {
          next_line(next_line_start);
        }
        if (!go_on) return stop();
        if (!found) return true;
        pos = end + 1;
        continue;
      }
      if (!found) {
        carry_.append(chunk.substr(pos));
        return true;
      }
      bool go_on;
      if (carry_.empty()) {
        go_on = handle_line(chunk.substr(pos, length));
      } else {
        carry_.append(chunk.substr(pos, length));
        go_on = handle_line(carry_);
        carry_.clear();
      }
      next_line(next_line_start);
      if (!go_on) return stop();
      pos = end + 1;
    }
    return true;
  }

  bool finish() override {
    if (stopped_) return false;
    skipping_ = false;
    if (carry_.empty()) return true;
    const bool go_on = handle_line(carry_);
    carry_.clear();
    return go_on || stop();
  }

  const Columns& columns() const override { return columns_; }
  std::uint64_t bytes() const override { return bytes_; }

 private:
  bool stop() {
    stopped_ = true;
    return false;
  }

  void next_line(std::uint64_t start) {
    ++line_;
    line_start_ = start;
  }

  bool report(ErrorCode code, std::string message, std::string_view column) {
    Issue issue{std::move(code), std::move(message), Place{row_++, line_, line_start_}, std::string(column), {}};
    return handler_.on_bad_row(issue);
  }

  bool report_too_large() {
    return report(ErrorCode::record_too_large,
                  "the line is longer than the limit of " + std::to_string(max_record_bytes_) + " bytes", "");
  }

  bool handle_line(std::string_view line) {
    if (line_start_ == 0 && skip_bom_ && line.starts_with(kBom)) line.remove_prefix(kBom.size());
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (is_blank(line)) return true;
    if (const std::size_t bad = detail::find_invalid_utf8(line); bad != std::string_view::npos) {
      return report(ErrorCode::invalid_utf8, "invalid UTF-8 at column " + std::to_string(bad + 1), "");
    }
    if (template_) return handle_template_line(line);
    if (w3c_) return handle_w3c_line(line);
    detail::LogError error;
    if (!detail::parse_log_line(line, combined_, parts_, error)) {
      return report(ErrorCode::bad_log_line,
                    "expected " + std::string(error.expected) + " at column " + std::to_string(error.column),
                    error.field);
    }
    set(0, parts_.ip);
    set_or_null(1, parts_.ident);
    set_or_null(2, parts_.user);
    set(3, std::string_view(parts_.time, detail::kIsoTimeLength));
    set(4, parts_.method);
    set(5, parts_.path);
    set(6, parts_.protocol);
    set(7, parts_.status);
    set_or_null(8, parts_.bytes);
    if (combined_) {
      if (parts_.has_referer) {
        set_or_null(9, parts_.referer);
      } else {
        fields_[9] = Field{};
      }
      if (parts_.has_user_agent) {
        set_or_null(10, parts_.user_agent);
      } else {
        fields_[10] = Field{};
      }
    }
    const Place place{row_++, line_, line_start_};
    return handler_.on_row(std::span<const Field>(fields_, columns_.size()), place);
  }

  bool handle_template_line(std::string_view line) {
    detail::LogError error;
    if (!template_->match(line, template_fields_.data(), error)) {
      return report(ErrorCode::bad_log_line,
                    "expected " + std::string(error.expected) + " at column " + std::to_string(error.column),
                    error.field);
    }
    const Place place{row_++, line_, line_start_};
    return handler_.on_row(template_fields_, place);
  }

  bool handle_w3c_line(std::string_view line) {
    switch (w3c_->read(line)) {
      case detail::W3cReader::Outcome::directive:
        return true;
      case detail::W3cReader::Outcome::bad: {
        const auto& problem = w3c_->problem();
        return report(problem.code, problem.message, problem.column);
      }
      case detail::W3cReader::Outcome::row:
        break;
    }
    const Place place{row_++, line_, line_start_};
    return handler_.on_row(w3c_->fields(), place);
  }

  void set(std::size_t index, std::string_view text) { fields_[index] = Field{text, FieldKind::text}; }
  // The formats write "-" for a part they do not have.
  void set_or_null(std::size_t index, std::string_view text) {
    fields_[index] = Field{text, text == "-" ? FieldKind::null : FieldKind::text};
  }

  const bool combined_;
  const bool skip_bom_;
  const std::uint64_t max_record_bytes_;
  RowHandler& handler_;
  Columns columns_;
  detail::LogLine parts_;  // owns the ISO time text the time field points at
  Field fields_[detail::kCombinedLogColumns];
  std::unique_ptr<detail::LogTemplate> template_;  // custom only
  std::vector<Field> template_fields_;
  std::unique_ptr<detail::W3cReader> w3c_;         // w3c only
  std::string carry_;  // the start of a line that straddles chunks
  std::uint64_t bytes_ = 0;
  std::uint64_t row_ = 1;
  std::uint64_t line_ = 1;
  std::uint64_t line_start_ = 0;
  bool skipping_ = false;  // inside a line already reported as too large
  bool stopped_ = false;
};

}  // namespace

std::unique_ptr<Parser> make_log_parser(LogVariant variant, bool skip_bom, const Limits& limits,
                                        RowHandler& handler) {
  return std::make_unique<LogParser>(variant, skip_bom, limits, handler);
}

std::unique_ptr<Parser> make_log_format_parser(std::string_view log_format, bool skip_bom, const Limits& limits,
                                               RowHandler& handler, std::string& error) {
  auto format = detail::LogTemplate::compile(log_format, error);
  if (!format) return nullptr;
  return std::make_unique<LogParser>(std::move(*format), skip_bom, limits, handler);
}

std::string check_log_format(std::string_view log_format) {
  std::string error;
  detail::LogTemplate::compile(log_format, error);
  return error;
}

}  // namespace fastthread
