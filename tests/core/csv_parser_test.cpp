// The CSV parser: golden files for every edge case, each also fed in random chunkings.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace {

using fastthread::CsvDialect;
using fastthread::HeaderMode;
using fastthread::Limits;
using fastthread::testing::expect_split_invariant;
using fastthread::testing::RecordingHandler;

using Chunks = std::vector<std::string_view>;

struct Options {
  char delimiter = ',';
  HeaderMode header = HeaderMode::present;
  bool skip_bom = true;
  Limits limits = {};
};

// Feeds `chunks` to a fresh parser; the result is the column list, the handler's log and
// what feed/finish returned, so every observable effect is compared.
std::string run_csv(const Chunks& chunks, const Options& options,
                    std::uint64_t stop_after_rows = UINT64_MAX) {
  RecordingHandler handler;
  handler.stop_after_rows = stop_after_rows;
  const CsvDialect dialect{options.delimiter, '"', options.header};
  auto parser = fastthread::make_csv_parser(dialect, options.skip_bom, options.limits, handler);
  bool ok = true;
  for (std::string_view chunk : chunks) {
    ok = parser->feed(chunk);
    if (!ok) break;
  }
  if (ok) ok = parser->finish();
  std::string out = "columns:";
  for (const std::string& name : parser->columns().names()) out += " [" + name + "]";
  out += "\n" + handler.log + (ok ? "end\n" : "stopped\n");
  return out;
}

std::string run_whole(std::string_view input, const Options& options) {
  return run_csv(Chunks{input}, options);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Control and non-ASCII bytes shown as escapes, so a failing line is readable.
std::string visible(std::string_view line) {
  std::string out;
  for (const char c : line) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b < 0x7f) {
      out += c;
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// Names the first differing line of two logs.
std::string first_difference(const std::string& expected, const std::string& actual) {
  const auto want = lines_of(expected);
  const auto got = lines_of(actual);
  for (std::size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    const std::string w = i < want.size() ? visible(want[i]) : "<no line>";
    const std::string g = i < got.size() ? visible(got[i]) : "<no line>";
    if (w != g) {
      return "first difference at line " + std::to_string(i + 1) + "\n  expected: " + w +
             "\n  actual:   " + g;
    }
  }
  return "logs differ in line ends only";
}

struct Golden {
  const char* file;
  Options options;
};

Options with(char delimiter, HeaderMode header = HeaderMode::present) {
  return {delimiter, header, true, {}};
}
Options limited(std::uint64_t max_record_bytes, std::uint64_t max_columns) {
  Options options;
  options.limits.max_record_bytes = max_record_bytes;
  options.limits.max_columns = max_columns;
  return options;
}

const Golden kGoldens[] = {
    {"basic.csv", with(',')},
    {"quotes.csv", with(',')},
    {"line_ends.csv", with(',')},
    {"bom.csv", with(',')},
    {"bom_partial.csv", with(',')},
    {"header_names.csv", with(',')},
    {"no_header.csv", with(',', HeaderMode::absent)},
    {"automatic_header.csv", with(',', HeaderMode::automatic)},
    {"ragged.csv", with(',')},
    {"invalid_utf8.csv", with(',')},
    {"unterminated.csv", with(',')},
    {"too_large.csv", limited(24, 16384)},
    {"too_many_columns.csv", limited(1024, 3)},
    {"trailing_delimiter.csv", with(',')},
    {"header_only.csv", with(',')},
    {"tabs.tsv", with('\t')},
    {"semicolons.csv", with(';')},
    {"pipes.psv", with('|')},
};

// Keeps gtest from dumping the options as raw bytes.
void PrintTo(const Golden& golden, std::ostream* out) {
  *out << golden.file;
}

class GoldenTest : public ::testing::TestWithParam<Golden> {};

TEST_P(GoldenTest, MatchesExpectedLogInEveryChunking) {
  const Golden& golden = GetParam();
  const std::string path = std::string(FASTTHREAD_TEST_DATA) + "/csv/" + golden.file;
  const std::string input = read_file(path);
  ASSERT_FALSE(input.empty()) << "missing golden input " << path;
  const std::string actual = run_whole(input, golden.options);
  if (std::getenv("FASTTHREAD_UPDATE_GOLDEN") != nullptr) {
    // Only on request; review the result with git diff before committing it.
    std::ofstream(path + ".expected", std::ios::binary) << actual;
  }
  const std::string expected = read_file(path + ".expected");
  EXPECT_EQ(expected, actual) << path << ".expected does not match: " << first_difference(expected, actual)
                              << "\n(FASTTHREAD_UPDATE_GOLDEN=1 rewrites it; review with git diff)";
  const std::string split =
      expect_split_invariant(input, [&](const Chunks& chunks) { return run_csv(chunks, golden.options); });
  EXPECT_EQ(split, actual);
}

INSTANTIATE_TEST_SUITE_P(Csv, GoldenTest, ::testing::ValuesIn(kGoldens),
                         [](const ::testing::TestParamInfo<Golden>& param) {
                           std::string name;
                           for (const char* c = param.param.file; *c; ++c)
                             name += std::isalnum(*c) ? *c : '_';
                           return name;
                         });

}  // namespace
