#include "sniff_csv.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace fastthread::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::size_t digits(std::string_view text, std::size_t& i) {
  const std::size_t start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  return i - start;
}

bool looks_number(std::string_view t) {
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  std::size_t count = digits(t, i);
  if (i < t.size() && t[i] == '.') {
    ++i;
    count += digits(t, i);
  }
  if (count == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (digits(t, i) == 0) return false;
  }
  return i == t.size();
}

bool looks_date(std::string_view t) {
  std::size_t i = 0;
  if (digits(t, i) == 4 && i < t.size() && t[i] == '-') {
    ++i;
    return digits(t, i) == 2 && i < t.size() && t[i] == '-' && (++i, digits(t, i) == 2);
  }
  i = 0;
  const std::size_t day = digits(t, i);
  if (day < 1 || day > 2 || i >= t.size() || t[i] != '/') return false;
  ++i;
  const std::size_t month = digits(t, i);
  if (month < 1 || month > 2 || i >= t.size() || t[i] != '/') return false;
  ++i;
  const std::size_t year = digits(t, i);
  return (year == 2 || year == 4) && i == t.size();
}

bool looks_boolean(std::string_view t) {
  return t == "true" || t == "false" || t == "True" || t == "False" || t == "TRUE" || t == "FALSE";
}

std::string delimiter_name(char delimiter) {
  if (delimiter == '\t') return "tab";
  return std::string("'") + delimiter + "'";
}

struct Candidate {
  char delimiter;
  std::size_t fields = 0;      // most common field count
  std::size_t consistent = 0;  // records with that count
  std::size_t records = 0;
  std::size_t widest = 0;  // most fields on any record
  // Only a delimiter that splits the records can win; one that splits just some of them
  // still shows up in the reason as inconsistent.
  double score() const {
    return fields <= 1 ? 0 : static_cast<double>(consistent) / static_cast<double>(records);
  }
};

Candidate measure(char delimiter, const SampleRecords& records) {
  std::map<std::size_t, std::size_t> counts;  // ordered: ties go to the larger count
  for (const auto& record : records) ++counts[record.size()];
  Candidate c{delimiter};
  if (!counts.empty()) c.widest = counts.rbegin()->first;
  c.records = records.size();
  for (const auto& [fields, n] : counts) {
    if (n >= c.consistent) {
      c.fields = fields;
      c.consistent = n;
    }
  }
  return c;
}

}  // namespace

bool looks_numeric_or_date(std::string_view text) {
  const std::string_view t = trim(text);
  return looks_number(t) || looks_date(t);
}

SampleRecords split_sample(std::string_view text, char delimiter, bool is_complete, std::size_t max_records) {
  SampleRecords records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_start = true;
  bool ended = true;  // the last record seen was closed by a line end
  const auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    const bool blank = record.size() == 1 && record[0].empty();
    if (!blank) records.push_back(std::move(record));
    record.clear();
    field_start = true;
  };
  for (std::size_t i = 0; i < text.size() && records.size() < max_records; ++i) {
    const char c = text[i];
    ended = false;
    if (in_quotes) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        in_quotes = false;
      }
    } else if (c == '"' && field_start) {
      in_quotes = true;
      field_start = false;
    } else if (c == delimiter) {
      record.push_back(std::move(field));
      field.clear();
      field_start = true;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      end_record();
      ended = true;
    } else {
      field += c;
      field_start = false;
    }
  }
  if (records.size() >= max_records) return records;
  const std::size_t before = records.size();
  if (!ended) end_record();
  const bool cut_off = !is_complete && (!ended || in_quotes);
  if (cut_off && records.size() > before && before > 0) records.pop_back();
  return records;
}

DelimiterGuess guess_delimiter(std::string_view text, bool is_complete, char preferred) {
  constexpr std::array<char, 4> kOrder = {',', '\t', ';', '|'};
  std::vector<char> order;
  if (std::find(kOrder.begin(), kOrder.end(), preferred) != kOrder.end()) order.push_back(preferred);
  for (char d : kOrder) {
    if (d != preferred) order.push_back(d);
  }
  constexpr std::size_t kMaxRecords = 1000;
  DelimiterGuess guess;
  std::vector<Candidate> usable;  // every delimiter that splits some record
  double best_score = 0;
  for (char d : order) {
    SampleRecords records = split_sample(text, d, is_complete, kMaxRecords);
    const Candidate c = measure(d, records);
    if (c.widest <= 1) continue;
    if (c.score() > best_score) {
      best_score = c.score();
      guess.records = std::move(records);
    }
    usable.push_back(c);
  }
  if (best_score == 0) return guess;
  // Stable: among equal scores the earlier in the order of preference stays first.
  std::stable_sort(usable.begin(), usable.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score() > b.score(); });
  const Candidate& best = usable.front();
  guess.found = true;
  guess.delimiter = best.delimiter;
  const double sample_weight = std::min(1.0, 0.6 + 0.1 * static_cast<double>(best.records));
  guess.confidence = 0.95 * best.score() * sample_weight;
  guess.reason = delimiter_name(best.delimiter) + " gives " + std::to_string(best.fields) + " fields on ";
  guess.reason +=
      best.consistent == best.records
          ? (best.records == 1 ? "the only sampled record"
                               : "all " + std::to_string(best.records) + " sampled records")
          : std::to_string(best.consistent) + " of " + std::to_string(best.records) + " sampled records";
  if (usable.size() > 1) {
    const Candidate& next = usable[1];
    if (next.score() == best.score()) {
      guess.confidence *= 0.8;
      guess.reason += "; " + delimiter_name(next.delimiter) +
                      " is as consistent but comes later in the order of preference";
    } else {
      guess.reason += "; " + delimiter_name(next.delimiter) + " is inconsistent";
    }
  }
  return guess;
}

HeaderGuess guess_header(const SampleRecords& records) {
  if (records.empty()) return {false, 0.5, "no header (no records)"};
  const auto& first = records.front();
  std::set<std::string_view> seen;
  for (const std::string& value : first) {
    const std::string_view v = trim(value);
    if (v.empty()) return {false, 0.8, "no header (the first row has an empty value)"};
    if (looks_numeric_or_date(v)) return {false, 0.85, "no header (the first row has a number or date)"};
    if (!seen.insert(v).second) return {false, 0.8, "no header (the first row repeats a value)"};
  }
  if (records.size() == 1) return {true, 0.6, "a header (the only row is distinct text)"};
  int votes = 0;
  bool typed_column = false;
  for (std::size_t col = 0; col < first.size(); ++col) {
    bool all_typed = true;
    bool any = false;
    std::size_t length = std::string::npos;
    bool same_length = true;
    for (std::size_t r = 1; r < records.size(); ++r) {
      if (col >= records[r].size()) continue;
      const std::string_view v = trim(records[r][col]);
      if (v.empty()) continue;
      any = true;
      all_typed = all_typed && (looks_numeric_or_date(v) || looks_boolean(v));
      if (length == std::string::npos) length = v.size();
      same_length = same_length && v.size() == length;
    }
    if (!any) continue;
    if (all_typed) {
      ++votes;
      typed_column = true;
    } else if (same_length) {
      votes += trim(first[col]).size() == length ? -1 : 1;
    }
  }
  if (votes < 0) return {false, 0.7, "no header (the first row looks like the rows below it)"};
  if (typed_column) return {true, 0.95, "a header (text above numbers or dates)"};
  if (votes > 0) return {true, 0.85, "a header (its values differ in length from the rows below)"};
  return {true, 0.7, "a header (the first row is distinct text, as is the rest)"};
}

}  // namespace fastthread::detail
