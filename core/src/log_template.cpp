#include "log_template.hpp"

#include <algorithm>

#include "json_bytes.hpp"
#include "utf8.hpp"

namespace fastthread::detail {
namespace {

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// 'text', built by appending: GCC 12 warns (-Wrestrict, falsely) on "'" + std::string(...).
std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out.append(text);
  out += '\'';
  return out;
}

std::string at_character(std::size_t index) {
  return " at character " + std::to_string(index + 1);
}

// Well-known nginx variables take the names the Common/Combined columns have.
std::string nginx_name(std::string_view variable, LogFieldRule& rule) {
  rule = LogFieldRule::plain;
  if (variable == "remote_addr") return "ip";
  if (variable == "remote_user") return "user";
  if (variable == "time_local") {
    rule = LogFieldRule::clf_time;
    return "time";
  }
  if (variable == "time_iso8601") return "time";
  if (variable == "request") {
    rule = LogFieldRule::request;
    return "";
  }
  if (variable == "body_bytes_sent") return "bytes";
  if (variable == "http_referer") return "referer";
  if (variable == "http_user_agent") return "user_agent";
  return std::string(variable);
}

// A header, cookie or variable name as a column name: lower case, '-' as '_'.
std::string lower_name(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '-') c = '_';
    out += c;
  }
  return out;
}

std::string apache_name(char letter, std::string_view arg, bool has_arg, LogFieldRule& rule) {
  rule = LogFieldRule::plain;
  switch (letter) {
    case 'h': return "ip";
    case 'a': return "client_ip";
    case 'A': return "local_ip";
    case 'l': return "ident";
    case 'u': return "user";
    case 't':
      if (!has_arg) rule = LogFieldRule::clf_time;
      return "time";
    case 'r': rule = LogFieldRule::request; return "";
    case 's': return "status";
    case 'b':
    case 'B': return "bytes";
    case 'O': return "bytes_sent";
    case 'I': return "bytes_received";
    case 'S': return "bytes_transferred";
    case 'D': return "duration_us";
    case 'T':
      if (arg == "ms") return "duration_ms";
      if (arg == "us") return "duration_us";
      return "duration_s";
    case 'v': return "vhost";
    case 'V': return "server_name";
    case 'p': return arg == "remote" ? "remote_port" : arg == "local" ? "local_port" : "port";
    case 'P': return arg == "tid" || arg == "hextid" ? "tid" : "pid";
    case 'q': return "query";
    case 'U': return "uri";
    case 'H': return "protocol";
    case 'm': return "method";
    case 'X': return "connection_status";
    case 'k': return "keepalive_requests";
    case 'L': return "log_id";
    case 'R': return "handler";
    case 'f': return "filename";
    case 'i': return lower_name(arg);
    case 'o': return "sent_" + lower_name(arg);
    case 'C': return "cookie_" + lower_name(arg);
    case 'e': return "env_" + lower_name(arg);
    case 'n': return "note_" + lower_name(arg);
    default: break;
  }
  return has_arg ? lower_name(arg) : std::string(1, letter);
}

// Where `literal` stops matching `line` from `pos`, or npos when it matches (then `pos`
// moves past it). A space in a literal takes a run of spaces, as servers pad some fields.
std::size_t match_literal(std::string_view line, std::size_t& pos, std::string_view literal) {
  std::size_t p = pos;
  for (char c : literal) {
    if (p >= line.size() || line[p] != c) return p;
    ++p;
    if (c == ' ')
      while (p < line.size() && line[p] == ' ') ++p;
  }
  pos = p;
  return std::string_view::npos;
}

// The '"' ending a quoted part that starts at `pos` (after its opening quote), or npos; a
// backslash always hides the byte after it, so \" and \\ do not end the part.
std::size_t closing_quote(std::string_view line, std::size_t pos) {
  while (pos < line.size()) {
    if (line[pos] == '\\') {
      pos += 2;
    } else if (line[pos] == '"') {
      return pos;
    } else {
      ++pos;
    }
  }
  return std::string_view::npos;
}

bool fail(LogError& error, const LogTemplateItem& item, std::size_t at) {
  error = LogError{item.expected, at + 1, item.field};
  return false;
}

}  // namespace

struct LogTemplateBuilder {
  LogTemplate& t;
  std::string& error;
  std::string pending;  // literal text not yet closed by a field
  std::string previous_field;

  void literal(char c) {
    // Runs of spaces match runs of spaces, so one stands for all.
    if (c == ' ' && !pending.empty() && pending.back() == ' ') return;
    pending += c;
  }

  void flush() {
    if (pending.empty()) return;
    LogTemplateItem item;
    item.literal = std::move(pending);
    pending.clear();
    item.expected = quote(item.literal);
    t.items_.push_back(std::move(item));
  }

  std::string unique(const std::string& base) {
    std::string name = base;
    for (int k = 2; std::find(t.columns_.begin(), t.columns_.end(), name) != t.columns_.end(); ++k)
      name = base + "_" + std::to_string(k);
    t.columns_.push_back(name);
    return name;
  }

  bool field(std::string_view spelling, std::size_t at, std::string name, LogFieldRule rule) {
    flush();
    if (!t.items_.empty() && t.items_.back().literal.empty()) {
      error = quote(spelling) + at_character(at) + " follows " + previous_field +
              " with nothing between them, so where one ends cannot be told";
      return false;
    }
    previous_field = quote(spelling);
    LogTemplateItem item;
    item.rule = rule;
    item.column = t.columns_.size();
    if (rule == LogFieldRule::request) {
      unique("method");
      unique("path");
      unique("protocol");
    } else {
      item.field = unique(name);
    }
    if (rule == LogFieldRule::clf_time) {
      item.time_slot = t.times_.size();
      t.times_.emplace_back();
    }
    t.items_.push_back(std::move(item));
    return true;
  }

  // Quoting and the messages depend on the neighbours, known once every item is.
  void finish() {
    flush();
    auto& items = t.items_;
    for (std::size_t i = 0; i < items.size(); ++i) {
      LogTemplateItem& item = items[i];
      const std::string* before = i > 0 ? &items[i - 1].literal : nullptr;
      const std::string* after = i + 1 < items.size() ? &items[i + 1].literal : nullptr;
      if (!item.literal.empty()) {
        // A literal is blamed on the field it introduces (or ends, at the line's end).
        const LogTemplateItem* owner = after ? &items[i + 1] : before ? &items[i - 1] : nullptr;
        if (owner) {
          item.field = owner->field;
          const std::string what = owner->rule == LogFieldRule::request ? "the request" : "the " + owner->field;
          item.expected += (after ? " before " : " after ") + what;
        }
        continue;
      }
      const std::string what = item.rule == LogFieldRule::request ? "the request" : "the " + item.field;
      item.quoted = item.rule != LogFieldRule::clf_time && before && before->ends_with('"') && after &&
                    after->starts_with('"');
      if (item.rule == LogFieldRule::clf_time) {
        item.expected = what + " like 10/Oct/2000:13:55:36 -0700";
      } else if (item.quoted) {
        item.expected = what + " and its closing '\"'";
      } else if (after) {
        item.expected = what + " followed by " + quote(*after);
      } else {
        item.expected = what;
      }
    }
  }
};

std::optional<LogTemplate> LogTemplate::compile(std::string_view f, std::string& error) {
  // The format names columns and is repeated in the summary, which is JSON: text only.
  if (const std::size_t bad = find_invalid_utf8(f); bad != std::string_view::npos) {
    error = describe_byte(static_cast<unsigned char>(f[bad])) + at_character(bad) + " is not UTF-8 text";
    return std::nullopt;
  }
  LogTemplate t;
  const std::size_t dollar = f.find('$'), percent = f.find('%');
  t.syntax_ = dollar < percent ? LogSyntax::nginx : LogSyntax::apache;
  LogTemplateBuilder b{t, error, {}, {}};
  std::size_t i = 0;
  while (i < f.size()) {
    const std::size_t start = i;
    const char c = f[i];
    if (t.syntax_ == LogSyntax::nginx) {
      if (c != '$') {
        b.literal(c);
        ++i;
        continue;
      }
      std::string_view variable;
      if (i + 1 < f.size() && f[i + 1] == '{') {
        const std::size_t close = f.find('}', i + 2);
        if (close == std::string_view::npos) {
          error = "'${'" + at_character(start) + " has no closing '}'";
          return std::nullopt;
        }
        variable = f.substr(i + 2, close - i - 2);
        i = close + 1;
      } else {
        ++i;
        while (i < f.size() && is_name_char(f[i])) ++i;
        variable = f.substr(start + 1, i - start - 1);
      }
      if (variable.empty() || !std::all_of(variable.begin(), variable.end(), is_name_char)) {
        error = "'$'" + at_character(start) + " is not followed by a variable name";
        return std::nullopt;
      }
      LogFieldRule rule;
      std::string name = nginx_name(variable, rule);
      if (!b.field(f.substr(start, i - start), start, std::move(name), rule)) return std::nullopt;
      continue;
    }
    // Apache: the format as written inside LogFormat's quotes, so \" and \\ are undone.
    if (c == '\\' && i + 1 < f.size() && (f[i + 1] == '"' || f[i + 1] == '\\' || f[i + 1] == 't')) {
      b.literal(f[i + 1] == 't' ? '\t' : f[i + 1]);
      i += 2;
      continue;
    }
    if (c != '%') {
      b.literal(c);
      ++i;
      continue;
    }
    ++i;
    if (i < f.size() && f[i] == '%') {
      b.literal('%');
      ++i;
      continue;
    }
    // Modifiers (%>s, %400,501{User-agent}i, %!200a) do not change what is logged's shape.
    while (i < f.size() && (f[i] == '<' || f[i] == '>' || f[i] == '!' || f[i] == ',' || (f[i] >= '0' && f[i] <= '9')))
      ++i;
    std::string_view arg;
    const bool has_arg = i < f.size() && f[i] == '{';
    if (has_arg) {
      const std::size_t close = f.find('}', i + 1);
      if (close == std::string_view::npos) {
        error = "'%{'" + at_character(start) + " has no closing '}'";
        return std::nullopt;
      }
      arg = f.substr(i + 1, close - i - 1);
      i = close + 1;
      if (arg.empty()) {
        error = "'%{}'" + at_character(start) + " names nothing between its braces";
        return std::nullopt;
      }
    }
    if (i >= f.size() || !is_letter(f[i])) {
      error = quote(f.substr(start, i - start)) + at_character(start) +
              " is not followed by a directive letter";
      return std::nullopt;
    }
    const char letter = f[i++];
    LogFieldRule rule;
    std::string name = apache_name(letter, arg, has_arg, rule);
    // %t writes its brackets itself; nginx's $time_local has them in the format.
    if (rule == LogFieldRule::clf_time) b.literal('[');
    if (!b.field(f.substr(start, i - start), start, std::move(name), rule)) return std::nullopt;
    if (rule == LogFieldRule::clf_time) b.literal(']');
  }
  b.finish();
  if (t.columns_.empty()) {
    error = f.empty() ? "it is empty" : "it names no field ($variable or %directive)";
    return std::nullopt;
  }
  return t;
}

bool LogTemplate::match(std::string_view line, Field* fields, LogError& error) {
  std::size_t pos = 0;
  const std::size_t n = items_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const LogTemplateItem& item = items_[i];
    if (!item.literal.empty()) {
      if (const std::size_t at = match_literal(line, pos, item.literal); at != std::string_view::npos)
        return fail(error, item, at);
      continue;
    }
    if (item.rule == LogFieldRule::clf_time) {
      LogTime& time = times_[item.time_slot];
      if (line.size() - pos < 26 || !convert_log_time(line.substr(pos, 26), time.text))
        return fail(error, item, pos);
      fields[item.column] = Field{std::string_view(time.text, kIsoTimeLength), FieldKind::text};
      pos += 26;
      continue;
    }
    std::size_t end;
    if (item.quoted) {
      end = closing_quote(line, pos);
    } else if (i + 1 < n) {
      end = line.find(items_[i + 1].literal[0], pos);
      if (end == pos) end = std::string_view::npos;
    } else {
      end = pos < line.size() ? line.size() : std::string_view::npos;
    }
    if (end == std::string_view::npos) return fail(error, item, pos);
    const std::string_view text = line.substr(pos, end - pos);
    pos = end;
    if (item.rule == LogFieldRule::request) {
      std::string_view method, path, protocol;
      split_request(text, method, path, protocol);
      fields[item.column] = Field{method, FieldKind::text};
      fields[item.column + 1] = Field{path, FieldKind::text};
      fields[item.column + 2] = Field{protocol, FieldKind::text};
    } else {
      fields[item.column] = Field{text, text == "-" ? FieldKind::null : FieldKind::text};
    }
  }
  if (pos != line.size()) {
    static const LogTemplateItem kEnd{"", LogFieldRule::plain, false, 0, 0, "the end of the line", ""};
    return fail(error, kEnd, pos);
  }
  return true;
}

}  // namespace fastthread::detail
