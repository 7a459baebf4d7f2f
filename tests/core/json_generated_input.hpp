// A generated JSON input with its expected parse, built independently of the parser.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace fastthread::testing {

struct GeneratedJson {
  std::string input;
  std::string expected_log;  // RecordingHandler log, then "columns: <..>"
};

namespace generated_detail {

struct Piece {
  const char* source;     // as written in the input
  const char* unescaped;  // as a string field
  const char* canonical;  // as written inside a json (array) field
};

inline const std::vector<Piece>& pieces() {
  static const std::vector<Piece> list = {
      {"plain", "plain", "plain"},
      {"\\n", "\n", "\\n"},
      {"\\t", "\t", "\\t"},
      {"\\u00e9", "\xC3\xA9", "\xC3\xA9"},
      {"\xC3\xA9", "\xC3\xA9", "\xC3\xA9"},
      {"\\ud83d\\ude00", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {"\\\"", "\"", "\\\""},
      {"\\/", "/", "/"},
      {"\\u0001", "\x01", "\\u0001"},
      {"\\u001F", "\x1F", "\\u001f"},
      {"\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87"},
      {"\\\\", "\\", "\\\\"},
      {" ] } , [ {", " ] } , [ {", " ] } , [ {"},
  };
  return list;
}

inline const std::vector<std::string>& numbers() {
  static const std::vector<std::string> list = {
      "0", "-12", "123456789012345678901234567890", "1.00000000000000000000001", "6.02e23", "-0.5E-7", "42"};
  return list;
}

struct Leaf {
  std::string name;
  std::string kind;
  std::string text;
};

class Builder {
 public:
  Builder(std::mt19937_64& rng, bool ndjson) : rng_(rng), ndjson_(ndjson) {}

  std::string space() {
    switch (pick(6)) {
      case 0:
        return " ";
      case 1:
        return ndjson_ ? "\t" : "\n";
      case 2:
        return "  ";
      default:
        return "";
    }
  }

  // A string: writes its source to `out`, returns {unescaped, canonical}.
  std::pair<std::string, std::string> string(std::string& out) {
    std::string unescaped, canonical = "\"";
    out += '"';
    for (std::size_t n = pick(4); n > 0; --n) {
      const Piece& piece = pieces()[pick(pieces().size())];
      out += piece.source;
      unescaped += piece.unescaped;
      canonical += piece.canonical;
    }
    out += '"';
    return {unescaped, canonical + "\""};
  }

  // An array (depth <= 2): writes its source to `out`, returns its canonical text.
  std::string array(std::string& out, int depth) {
    std::string canonical = "[";
    out += "[" + space();
    const std::size_t n = pick(4);
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) {
        out += space() + "," + space();
        canonical += ",";
      }
      switch (pick(depth < 2 ? 5 : 3)) {
        case 0:
          canonical += string(out).second;
          break;
        case 1: {
          const std::string& number = numbers()[pick(numbers().size())];
          out += number;
          canonical += number;
          break;
        }
        case 2:
          out += "null";
          canonical += "null";
          break;
        case 3:
          canonical += array(out, depth + 1);
          break;
        default: {
          out += "{" + space() + "\"k\"" + space() + ":" + space();
          canonical += "{\"k\":" + array(out, depth + 1) + "}";
          out += space() + "}";
        }
      }
    }
    out += space() + "]";
    return canonical + "]";
  }

  // An object of random members; nested objects are flattened into `leaves`.
  void object(std::string& out, const std::string& prefix, int depth, std::vector<Leaf>& leaves) {
    static const char* keys[] = {"id",  "name", "user", "tags",      "esc",
                                 "big", "flag", "nil",  "k\\u00e9y", "geo"};
    static const char* names[] = {"id",  "name", "user", "tags",       "esc",
                                  "big", "flag", "nil",  "k\xC3\xA9y", "geo"};
    out += "{" + space();
    bool first = true;
    for (int k = 0; k < 10; ++k) {
      if (pick(3) == 0) continue;
      if (!first) out += space() + "," + space();
      first = false;
      out += std::string("\"") + keys[k] + "\"" + space() + ":" + space();
      const std::string name = prefix + names[k];
      // Only "user" and "geo" nest, to keep the column count modest.
      const bool nests = depth < 3 && (k == 2 || k == 9);
      const std::size_t choice = nests ? pick(7) : pick(6);
      switch (choice) {
        case 0:
          leaves.push_back({name, "string", string(out).first});
          break;
        case 1: {
          const std::string& number = numbers()[pick(numbers().size())];
          out += number;
          leaves.push_back({name, "number", number});
          break;
        }
        case 2: {
          const bool value = pick(2) == 0;
          out += value ? "true" : "false";
          leaves.push_back({name, "boolean", value ? "true" : "false"});
          break;
        }
        case 3:
          out += "null";
          leaves.push_back({name, "null", "null"});
          break;
        case 4:
          leaves.push_back({name, "json", array(out, 0)});
          break;
        case 5: {
          out += "{" + space() + "}";
          leaves.push_back({name, "json", "{}"});
          break;
        }
        default:
          object(out, name + ".", depth + 1, leaves);
      }
    }
    if (first && depth > 1) {  // an empty nested object is a json leaf, not a column prefix
      out += "\"z\":1";
      leaves.push_back({prefix + "z", "number", "1"});
    }
    out += space() + "}";
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  std::mt19937_64& rng_;
  bool ndjson_;
};

}  // namespace generated_detail

// `rows` random rows as NDJSON (one per line, some CRLF, some blank lines) or as a JSON
// array (whitespace and newlines between and inside elements).
inline GeneratedJson generate_json(std::uint64_t seed, int rows, bool ndjson) {
  using namespace generated_detail;
  std::mt19937_64 rng(seed);
  Builder build(rng, ndjson);
  GeneratedJson result;
  std::string& in = result.input;
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> index;
  std::uint64_t line = 1;
  std::size_t counted = 0;  // input bytes whose newlines are in `line`
  auto sync_line = [&] {
    for (; counted < in.size(); ++counted) line += in[counted] == '\n';
  };
  if (!ndjson) in += "[\n";
  for (int r = 1; r <= rows; ++r) {
    if (ndjson && build.pick(10) == 0) in += "  \n";
    if (!ndjson && r > 1) in += build.space() + ",\n" + build.space();
    sync_line();
    const std::uint64_t start = in.size();
    const std::uint64_t start_line = line;
    std::vector<Leaf> leaves;
    build.object(in, "", 1, leaves);
    std::vector<std::pair<std::string, std::string>> fields(columns.size());
    for (const Leaf& leaf : leaves) {
      auto [it, added] = index.try_emplace(leaf.name, columns.size());
      if (added) {
        columns.push_back(leaf.name);
        fields.emplace_back();
      }
      fields[it->second] = {leaf.kind, leaf.text};
    }
    result.expected_log += "row " + std::to_string(r) + " line " + std::to_string(start_line) + " @" +
                           std::to_string(start) + ":";
    for (const auto& [kind, text] : fields) {
      result.expected_log += " [" + (kind.empty() ? std::string("missing") : kind) + " " + text + "]";
    }
    result.expected_log += "\n";
    if (ndjson) in += build.pick(4) == 0 ? "\r\n" : "\n";
  }
  if (!ndjson) in += "\n]\n";
  result.expected_log += "columns:";
  for (const std::string& name : columns) result.expected_log += " <" + name + ">";
  result.expected_log += "\n";
  return result;
}

}  // namespace fastthread::testing
