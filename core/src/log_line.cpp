#include "log_line.hpp"

namespace fastthread::detail {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

// Two digits at text[at], as a number, or -1.
int two_digits(std::string_view text, std::size_t at) {
  if (!is_digit(text[at]) || !is_digit(text[at + 1])) return -1;
  return (text[at] - '0') * 10 + (text[at + 1] - '0');
}

// Method tokens as servers log them: GET, POST, M-SEARCH, PROPFIND, ...
bool is_method(std::string_view text) {
  if (text.empty() || text.size() > 32) return false;
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

class LineReader {
 public:
  explicit LineReader(std::string_view line) : s_(line) {}

  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  std::size_t column() const { return i_ + 1; }
  void skip(std::size_t n) { i_ += n; }
  std::string_view rest() const { return s_.substr(i_); }

  bool spaces() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
    return i_ > start;
  }
  // A run of non-space bytes; empty at a space or the end.
  std::string_view token() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ') ++i_;
    return s_.substr(start, i_ - start);
  }
  // The text of a '"'-quoted part starting at the cursor; escapes are kept as written, and
  // a backslash always hides the byte after it, so \" and \\ do not end the part.
  bool quoted(std::string_view& text) {
    std::size_t j = i_ + 1;
    while (j < s_.size()) {
      if (s_[j] == '\\') {
        j += 2;
      } else if (s_[j] == '"') {
        text = s_.substr(i_ + 1, j - i_ - 1);
        i_ = j + 1;
        return true;
      } else {
        ++j;
      }
    }
    i_ = s_.size();
    return false;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool fail(LogError& error, std::string_view expected, std::size_t column, std::string_view field) {
  error = LogError{expected, column, field};
  return false;
}

}  // namespace

void split_request(std::string_view request, std::string_view& method, std::string_view& path,
                   std::string_view& protocol) {
  method = {};
  protocol = {};
  path = request;
  const std::size_t first = request.find(' ');
  if (first == std::string_view::npos || !is_method(request.substr(0, first))) return;
  method = request.substr(0, first);
  std::string_view rest = request.substr(first + 1);
  const std::size_t last = rest.rfind(' ');
  if (last != std::string_view::npos && rest.substr(last + 1).starts_with("HTTP/")) {
    protocol = rest.substr(last + 1);
    rest = rest.substr(0, last);
  }
  path = rest;
}

bool convert_log_time(std::string_view t, char (&out)[kIsoTimeLength]) {
  // 10/Oct/2000:13:55:36 -0700
  if (t.size() != 26 || t[2] != '/' || t[6] != '/' || t[11] != ':' || t[14] != ':' || t[17] != ':' ||
      t[20] != ' ' || (t[21] != '+' && t[21] != '-')) {
    return false;
  }
  const int day = two_digits(t, 0), hour = two_digits(t, 12), minute = two_digits(t, 15),
            second = two_digits(t, 18), off_hour = two_digits(t, 22), off_minute = two_digits(t, 24);
  if (day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60 || off_hour < 0 || off_hour > 23 || off_minute < 0 || off_minute > 59 ||
      !all_digits(t.substr(7, 4))) {
    return false;
  }
  std::size_t index = 0;
  while (index < kMonths.size() && kMonths[index] != t.substr(3, 3)) ++index;
  if (index == kMonths.size()) return false;
  const int month = static_cast<int>(index) + 1;
  const auto put2 = [&out](std::size_t at, int v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  for (std::size_t k = 0; k < 4; ++k) out[k] = t[7 + k];
  out[4] = '-';
  put2(5, month);
  out[7] = '-';
  put2(8, day);
  out[10] = 'T';
  put2(11, hour);
  out[13] = ':';
  put2(14, minute);
  out[16] = ':';
  put2(17, second);
  out[19] = t[21];
  put2(20, off_hour);
  out[22] = ':';
  put2(23, off_minute);
  return true;
}

bool parse_log_line(std::string_view line, bool combined, LogLine& out, LogError& error) {
  LineReader r(line);
  out.ip = r.token();
  if (out.ip.empty()) return fail(error, "the client address", r.column(), "ip");
  if (!r.spaces() || (out.ident = r.token()).empty()) {
    return fail(error, "the identity ('-' when unknown)", r.column(), "ident");
  }
  if (!r.spaces() || (out.user = r.token()).empty()) {
    return fail(error, "the user ('-' when unknown)", r.column(), "user");
  }
  if (!r.spaces() || r.peek() != '[') return fail(error, "'[' starting the time", r.column(), "time");
  r.skip(1);
  const std::string_view rest = r.rest();
  if (rest.size() < 27 || rest[26] != ']' || !convert_log_time(rest.substr(0, 26), out.time)) {
    return fail(error, "a time like 10/Oct/2000:13:55:36 -0700 followed by ']'", r.column(), "time");
  }
  r.skip(27);
  if (!r.spaces() || r.peek() != '"') return fail(error, "'\"' starting the request", r.column(), "");
  std::string_view request;
  if (!r.quoted(request)) return fail(error, "'\"' ending the request", r.column(), "");
  split_request(request, out.method, out.path, out.protocol);
  if (!r.spaces() || !all_digits(out.status = r.token())) {
    return fail(error, "the status code (digits)", r.column(), "status");
  }
  const std::size_t bytes_column = r.spaces() ? r.column() : 0;
  out.bytes = r.token();
  if (bytes_column == 0 || !(all_digits(out.bytes) || out.bytes == "-")) {
    return fail(error, "the response size (digits or '-')", bytes_column ? bytes_column : r.column(),
                "bytes");
  }
  out.has_referer = out.has_user_agent = false;
  out.referer = out.user_agent = {};
  if (!combined) return true;
  // A line that stops after the size is a Common Log Format line: fine, just no referer.
  r.spaces();
  if (r.at_end()) return true;
  if (r.peek() != '"') return fail(error, "'\"' starting the referer", r.column(), "referer");
  if (!r.quoted(out.referer)) return fail(error, "'\"' ending the referer", r.column(), "referer");
  out.has_referer = true;
  const bool spaced = r.spaces();
  if (r.at_end()) return true;
  if (!spaced || r.peek() != '"')
    return fail(error, "'\"' starting the user agent", r.column(), "user_agent");
  if (!r.quoted(out.user_agent)) return fail(error, "'\"' ending the user agent", r.column(), "user_agent");
  out.has_user_agent = true;
  return true;
}

}  // namespace fastthread::detail
