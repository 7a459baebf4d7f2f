#include "fastthread/pretty_json.hpp"

#include <string_view>

namespace fastthread {

namespace {

using json = nlohmann::ordered_json;

std::size_t code_points(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Writes a value on one line, giving up as soon as it passes the budget, so a long array
// costs no more than `budget` characters per attempt however large it is.
class OneLine {
 public:
  explicit OneLine(std::size_t budget) : budget_(budget) {}

  bool add(const json& value) {
    if (value.is_object()) {
      if (!put("{")) return false;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin() && !put(", ")) return false;
        if (!put(json(it.key()).dump()) || !put(": ") || !add(it.value())) return false;
      }
      return put("}");
    }
    if (value.is_array()) {
      if (!put("[")) return false;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it != value.begin() && !put(", ")) return false;
        if (!add(*it)) return false;
      }
      return put("]");
    }
    return put(value.dump());
  }

  std::string& text() { return text_; }

 private:
  bool put(std::string_view piece) {
    used_ += code_points(piece);
    if (used_ > budget_) return false;
    text_.append(piece);
    return true;
  }

  std::size_t budget_;
  std::size_t used_ = 0;
  std::string text_;
};

void write(const json& value, std::size_t indent, std::size_t width, std::string& out) {
  if (value.is_structured() && !value.empty()) {
    OneLine line(width);
    if (line.add(value)) {
      out += line.text();
      return;
    }
    const bool object = value.is_object();
    out += object ? "{\n" : "[\n";
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (it != value.begin()) out += ",\n";
      out.append(indent + 2, ' ');
      if (object) {
        out += json(it.key()).dump();
        out += ": ";
      }
      write(it.value(), indent + 2, width, out);
    }
    out += '\n';
    out.append(indent, ' ');
    out += object ? '}' : ']';
    return;
  }
  out += value.dump();
}

}  // namespace

std::string pretty_json(const nlohmann::ordered_json& value, std::size_t line_width) {
  std::string out;
  write(value, 0, line_width, out);
  return out;
}

}  // namespace fastthread
