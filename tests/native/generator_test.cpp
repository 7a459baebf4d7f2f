// The benchmark data generator: sizes, determinism, and the shape of every kind.
#include "generator.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace fastthread::bench {
namespace {

std::string generate_string(DataKind kind, std::uint64_t bytes, std::uint64_t seed,
                            std::size_t block = 1 << 20) {
  std::string out;
  const std::uint64_t written = generate(
      kind, bytes, seed, [&](std::string_view b) { out += b; }, block);
  EXPECT_EQ(written, out.size());
  return out;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A strict RFC 4180 reader: records of unquoted fields, quoted fields may hold anything.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  std::size_t i = 0;
  while (i < text.size()) {
    std::string& field = records.back().back();
    const char c = text[i];
    if (c == '"' && field.empty()) {
      for (++i;; ++i) {
        if (i >= text.size()) ADD_FAILURE() << "unterminated quote";
        if (i >= text.size()) return records;
        if (text[i] == '"' && i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else if (text[i] == '"') {
          ++i;
          break;
        } else {
          field += text[i];
        }
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n') ADD_FAILURE() << "text after a closing quote";
      continue;
    }
    if (c == ',') {
      records.back().emplace_back();
    } else if (c == '\n') {
      if (i + 1 < text.size()) records.emplace_back(1);
    } else {
      EXPECT_NE(c, '"') << "quote inside an unquoted field at byte " << i;
      field += c;
    }
    ++i;
  }
  return records;
}

TEST(Generator, ParsesSizesInDecimalAndBinaryUnits) {
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_EQ(parse_size("12345"), 12345u);
  EXPECT_EQ(parse_size("100B"), 100u);
  EXPECT_EQ(parse_size("500k"), 500000u);
  EXPECT_EQ(parse_size("500K"), 500000u);
  EXPECT_EQ(parse_size("500KB"), 500000u);
  EXPECT_EQ(parse_size("2KiB"), 2048u);
  EXPECT_EQ(parse_size("100MB"), 100000000u);
  EXPECT_EQ(parse_size("100mb"), 100000000u);
  EXPECT_EQ(parse_size("3MiB"), 3u << 20);
  EXPECT_EQ(parse_size("1G"), 1000000000u);
  EXPECT_EQ(parse_size("1GiB"), 1u << 30);
  EXPECT_EQ(parse_size("16GiB"), 16ull << 30);
  for (const char* bad :
       {"", "MB", "10XB", "-5", "1.5G", "10 MB", "10iB", "10KiBs", "99999999999999999999", "99999999999G"}) {
    EXPECT_EQ(parse_size(bad), std::nullopt) << bad;
  }
}

TEST(Generator, KindNamesRoundTrip) {
  for (DataKind kind : {DataKind::mixed_csv, DataKind::numeric_csv, DataKind::ndjson, DataKind::access_log}) {
    EXPECT_EQ(parse_data_kind(to_string(kind)), kind);
  }
  EXPECT_EQ(parse_data_kind("csv"), std::nullopt);
}

class GeneratorKinds : public ::testing::TestWithParam<DataKind> {};

TEST_P(GeneratorKinds, SameSeedSameBytesWhateverTheBlockSize) {
  const std::string a = generate_string(GetParam(), 300000, 7);
  EXPECT_TRUE(a == generate_string(GetParam(), 300000, 7, 1000));
  EXPECT_FALSE(a == generate_string(GetParam(), 300000, 8));
  // A smaller file is a prefix of a bigger one with the same seed.
  const std::string small = generate_string(GetParam(), 5000, 7);
  EXPECT_EQ(a.compare(0, small.size(), small), 0);
}

TEST_P(GeneratorKinds, WritesWholeRowsUntilTheSizeIsReached) {
  for (std::uint64_t target : {1ull, 999ull, 100000ull, 1234567ull}) {
    const std::string out = generate_string(GetParam(), target, 3);
    EXPECT_GE(out.size(), target);
    EXPECT_LT(out.size(), target + 2048) << "more than one row past the target";
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out.back(), '\n');
  }
}

INSTANTIATE_TEST_SUITE_P(AllKinds, GeneratorKinds,
                         ::testing::Values(DataKind::mixed_csv, DataKind::numeric_csv, DataKind::ndjson,
                                           DataKind::access_log),
                         [](const auto& param_info) {
                           std::string name(to_string(param_info.param));
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

TEST(Generator, AZeroSizeGivesOnlyTheHeader) {
  EXPECT_EQ(generate_string(DataKind::mixed_csv, 0, 1),
            "id,name,price,qty,active,created,updated,category,comment\n");
  EXPECT_EQ(generate_string(DataKind::numeric_csv, 0, 1), "id,x,y,z,count,ratio\n");
  EXPECT_EQ(generate_string(DataKind::ndjson, 0, 1), "");
  EXPECT_EQ(generate_string(DataKind::access_log, 0, 1), "");
}

// Pinned output: these change only when the generator is changed on purpose, and they
// are the same on every machine (no std distributions, no floating-point formatting, one
// draw per statement). Checked equal for g++/libstdc++ x86-64 and em++/libc++ wasm32.
TEST(Generator, OutputIsPinned) {
  EXPECT_EQ(fnv1a(generate_string(DataKind::mixed_csv, 100000, 1)), 5445258154450348481ull);
  EXPECT_EQ(fnv1a(generate_string(DataKind::numeric_csv, 100000, 1)), 16591252472274929432ull);
  EXPECT_EQ(fnv1a(generate_string(DataKind::ndjson, 100000, 1)), 15076066843883767518ull);
  EXPECT_EQ(fnv1a(generate_string(DataKind::access_log, 100000, 1)), 13278596315167786924ull);
}

TEST(Generator, MixedCsvHasQuotingNullsAndSkewedCategories) {
  const std::string text = generate_string(DataKind::mixed_csv, 1000000, 1);
  const auto records = read_csv(text);
  ASSERT_GT(records.size(), 5000u);
  EXPECT_EQ(records[0], (std::vector<std::string>{"id", "name", "price", "qty", "active", "created",
                                                  "updated", "category", "comment"}));
  const std::regex price(R"(\d+\.\d\d)"), date(R"(\d{4}-\d\d-\d\d)"),
      datetime(R"(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d)");
  int comma_names = 0, quote_names = 0, newline_names = 0, empty_comments = 0, na_comments = 0;
  std::map<std::string, int> categories;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& f = records[r];
    ASSERT_EQ(f.size(), 9u) << "record " << r;
    EXPECT_EQ(f[0], std::to_string(r));
    comma_names += f[1].find(',') != std::string::npos;
    quote_names += f[1].find('"') != std::string::npos;
    newline_names += f[1].find('\n') != std::string::npos;
    EXPECT_TRUE(std::regex_match(f[2], price)) << f[2];
    EXPECT_TRUE(f[4] == "true" || f[4] == "false") << f[4];
    EXPECT_TRUE(std::regex_match(f[5], date)) << f[5];
    EXPECT_TRUE(std::regex_match(f[6], datetime)) << f[6];
    EXPECT_GE(f[6].substr(0, 10), f[5]) << "updated before created";
    ++categories[f[7]];
    empty_comments += f[8].empty();
    na_comments += f[8] == "NA";
  }
  EXPECT_GT(comma_names, 0);
  EXPECT_GT(quote_names, 0);
  EXPECT_GT(newline_names, 0);
  EXPECT_GT(empty_comments, 0);
  EXPECT_GT(na_comments, 0);
  EXPECT_GT(categories["electronics"], 3 * categories["jewelry"]);
}

TEST(Generator, NumericCsvHasSixNumericColumns) {
  const std::string text = generate_string(DataKind::numeric_csv, 200000, 1);
  const std::vector<std::string> lines = lines_of(text);
  ASSERT_GT(lines.size(), 1000u);
  EXPECT_EQ(lines[0], "id,x,y,z,count,ratio");
  const std::regex row(R"(\d+,-?\d+\.\d{3},-?\d+\.\d{6},-?\d+,\d+,\d+\.\d{6})");
  for (std::size_t i = 1; i < lines.size(); ++i) ASSERT_TRUE(std::regex_match(lines[i], row)) << lines[i];
}

TEST(Generator, NdjsonLinesAreObjectsWithNestingNullsAndEscapes) {
  const std::string text = generate_string(DataKind::ndjson, 500000, 1);
  int null_notes = 0, missing_notes = 0, escaped = 0;
  for (const std::string& line : lines_of(text)) {
    const auto doc = nlohmann::json::parse(line);  // throws (fails the test) on bad JSON
    ASSERT_TRUE(doc.is_object());
    ASSERT_TRUE(doc.at("user").is_object());
    EXPECT_TRUE(doc.at("user").at("id").is_number_integer());
    EXPECT_TRUE(doc.at("tags").is_array());
    EXPECT_TRUE(doc.at("active").is_boolean());
    EXPECT_TRUE(doc.at("amount").is_number());
    if (!doc.contains("note")) {
      ++missing_notes;
    } else if (doc["note"].is_null()) {
      ++null_notes;
    } else {
      const std::string note = doc["note"].get<std::string>();
      escaped += note.find_first_of("\"\\\n\t") != std::string::npos;
    }
  }
  EXPECT_GT(null_notes, 0);
  EXPECT_GT(missing_notes, 0);
  EXPECT_GT(escaped, 0);
}

TEST(Generator, AccessLogLinesAreCombinedLogFormat) {
  const std::string text = generate_string(DataKind::access_log, 500000, 1);
  const std::regex combined(
      R"re(([0-9.]+|[0-9a-f:]+) - (-|\w+) \[\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000\] )re"
      R"re("(GET|POST|PUT|DELETE|HEAD) /\S* HTTP/[12]\.[01]" (\d{3}) (\d+|-) "[^"]*" "[^"]*")re");
  std::map<std::string, int> statuses;
  int dash_sizes = 0, ipv6 = 0;
  for (const std::string& line : lines_of(text)) {
    std::smatch m;
    ASSERT_TRUE(std::regex_match(line, m, combined)) << line;
    ++statuses[m[4]];
    dash_sizes += m[5] == "-";
    ipv6 += m[1].str().find(':') != std::string::npos;
  }
  EXPECT_GT(statuses["200"], statuses["404"]);
  EXPECT_GT(statuses["404"], 0);
  EXPECT_GT(statuses["304"], 0);
  EXPECT_GT(statuses["500"], 0);
  EXPECT_GT(dash_sizes, 0);
  EXPECT_GT(ipv6, 0);
}

}  // namespace
}  // namespace fastthread::bench
