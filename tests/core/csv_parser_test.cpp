// The CSV parser: golden files for every edge case, each also fed in random chunkings.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
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

Options defaults() {
  return with(',');
}

TEST(CsvParser, StopsWhenOnRowSaysSo) {
  const std::string input = "a,b\n1,2\n3,4\n5,6\n";
  EXPECT_EQ(
      run_csv(Chunks{input}, defaults(), 2),
      "columns: [a] [b]\nrow 1 line 2 @4: [text 1] [text 2]\nrow 2 line 3 @8: [text 3] [text 4]\nstopped\n");
  // The same stop in every chunking, including one where the stop falls in finish().
  expect_split_invariant(input, [&](const Chunks& chunks) { return run_csv(chunks, defaults(), 2); });
  EXPECT_EQ(run_csv(Chunks{"a\n1\n2"}, defaults(), 2),
            "columns: [a]\nrow 1 line 2 @2: [text 1]\nrow 2 line 3 @4: [text 2]\nstopped\n");
}

// Stops at the first bad row.
class StopOnBadRow : public RecordingHandler {
 public:
  bool on_bad_row(const fastthread::Issue& issue) override {
    RecordingHandler::on_bad_row(issue);
    return false;
  }
};

TEST(CsvParser, StopsWhenOnBadRowSaysSo) {
  StopOnBadRow handler;
  auto parser =
      fastthread::make_csv_parser(CsvDialect{',', '"', HeaderMode::present}, true, Limits{}, handler);
  EXPECT_FALSE(parser->feed("a,b\n1,2\n3\n4,5\n"));
  EXPECT_EQ(handler.rows, 1u);
  EXPECT_EQ(handler.bad, 1u);
  EXPECT_FALSE(parser->feed("6,7\n"));
  EXPECT_FALSE(parser->finish());
  EXPECT_EQ(handler.rows, 1u);
}

TEST(CsvParser, CountsEveryFedByte) {
  RecordingHandler handler;
  auto parser =
      fastthread::make_csv_parser(CsvDialect{',', '"', HeaderMode::present}, true, Limits{}, handler);
  EXPECT_TRUE(parser->feed("\xEF\xBB"));  // maybe a BOM: held back, still counted
  EXPECT_EQ(parser->bytes(), 2u);
  EXPECT_TRUE(
      parser->feed("\xBF"
                   "a,b\n1,\"2"));
  EXPECT_EQ(parser->bytes(), 11u);
  EXPECT_EQ(handler.rows, 0u);
  EXPECT_TRUE(parser->feed("\"\n"));
  EXPECT_TRUE(parser->finish());
  EXPECT_EQ(parser->bytes(), 13u);
  EXPECT_EQ(handler.log, "row 1 line 2 @7: [text 1] [text 2]\n");
}

TEST(CsvParser, KeepsTheBomWhenAskedTo) {
  Options options = defaults();
  options.skip_bom = false;
  EXPECT_EQ(run_whole("\xEF\xBB\xBFname\nx\n", options),
            "columns: [\xEF\xBB\xBFname]\nrow 1 line 2 @8: [text x]\nend\n");
  EXPECT_EQ(run_whole("\xEF\xBB\xBF", defaults()), "columns:\nend\n");
}

TEST(CsvParser, EmptyAndBlankInputsGiveNothing) {
  EXPECT_EQ(run_whole("", defaults()), "columns:\nend\n");
  EXPECT_EQ(run_csv(Chunks{}, defaults()), "columns:\nend\n");
  EXPECT_EQ(run_whole("\n\r\n\r\r\n", defaults()), "columns:\nend\n");
}

TEST(CsvParser, UnterminatedQuoteInTheHeaderIsNotARow) {
  EXPECT_EQ(
      run_whole("a,\"b\n\n", defaults()),
      "columns:\nbad unterminated_quote row 0 line 1 @2 col '': the quoted field starting at line 1 has no "
      "closing quote\nend\n");
}

TEST(CsvParser, ManyDuplicateHeaderNamesStayFast) {
  std::string header = "x";
  for (int i = 1; i < 20000; ++i) header += ",x";
  RecordingHandler handler;
  auto parser =
      fastthread::make_csv_parser(CsvDialect{',', '"', HeaderMode::present}, true, Limits{}, handler);
  ASSERT_TRUE(parser->feed(header + "\n"));
  ASSERT_TRUE(parser->finish());
  ASSERT_EQ(handler.log,
            "bad too_many_columns row 0 line 1 @0 col '': the header has 20000 fields, more than "
            "the limit of 16384 columns\n");
  Limits wide;
  wide.max_columns = 20000;
  auto wide_parser =
      fastthread::make_csv_parser(CsvDialect{',', '"', HeaderMode::present}, true, wide, handler);
  ASSERT_TRUE(wide_parser->feed(header + "\n"));
  const auto& names = wide_parser->columns().names();
  ASSERT_EQ(names.size(), 20000u);
  EXPECT_EQ(names[0], "x");
  EXPECT_EQ(names[1], "x_2");
  EXPECT_EQ(names[19999], "x_20000");
}

// A generated file with every feature at once, the values known in advance.
struct Generated {
  std::string input;
  std::string expected_log;
};

Generated generate(std::size_t rows, std::size_t big_row, std::size_t big_bytes) {
  static const char* const cities[] = {"Z\xC3\xBCrich", "\xE6\x9D\xB1\xE4\xBA\xAC", "S\xC3\xA3o Paulo",
                                       "\xF0\x9F\x98\x80 town", "Oslo"};
  static const char* const ends[] = {"\n", "\r\n", "\r"};
  Generated out;
  out.input = "id,text,city,amount\r\n";
  std::uint64_t line = 2;
  for (std::size_t i = 1; i <= rows; ++i) {
    const std::uint64_t offset = out.input.size();
    std::string raw_text;
    std::string text;
    std::uint64_t lines = 0;
    if (i == big_row) {
      // Megabytes in one quoted field, with doubled quotes, line ends and multi-byte text.
      raw_text = "\"";
      while (text.size() < big_bytes) {
        raw_text += "chunk \"\" of \xC3\xA9t\xC3\xA9\r\n";
        text += "chunk \" of \xC3\xA9t\xC3\xA9\r\n";
        ++lines;
      }
      raw_text += "\"";
    } else if (i % 5 == 0) {
      raw_text = "\"say \"\"hi\"\", " + std::to_string(i) + "\"";
      text = "say \"hi\", " + std::to_string(i);
    } else if (i % 7 == 0) {
      raw_text = "\"two\nlines\r\nthree\"";
      text = "two\nlines\r\nthree";
      lines = 2;
    } else {
      raw_text = "plain " + std::to_string(i);
      text = raw_text;
    }
    const std::string city = cities[i % 5];
    const std::string amount = std::to_string(i * 37 % 1000) + "." + std::to_string(i % 10);
    out.input += std::to_string(i) + "," + raw_text + "," + city + "," + amount + ends[i % 3];
    if (i % 11 == 0) {
      // A blank line; after a lone CR an LF would only complete a CRLF, so use CRLF there.
      const std::string blank = ends[(i / 11) % 3];
      out.input += i % 3 == 2 && blank == "\n" ? "\r\n" : blank;
    }
    out.expected_log += "row " + std::to_string(i) + " line " + std::to_string(line) + " @" +
                        std::to_string(offset) + ": [text " + std::to_string(i) + "] [text " + text +
                        "] [text " + city + "] [text " + amount + "]\n";
    line += lines + 1 + (i % 11 == 0 ? 1 : 0);
  }
  return out;
}

TEST(CsvParser, GeneratedFileWithAThreeMegabyteFieldInAnyChunking) {
  const Generated file = generate(4000, 1234, 3u << 20);
  ASSERT_GT(file.input.size(), 3u << 20);
  const std::string whole = run_whole(file.input, defaults());
  EXPECT_EQ(whole, "columns: [id] [text] [city] [amount]\n" + file.expected_log + "end\n")
      << first_difference("columns: [id] [text] [city] [amount]\n" + file.expected_log + "end\n", whole);
  expect_split_invariant(
      file.input, [&](const Chunks& chunks) { return run_csv(chunks, defaults()); }, 6);
}

TEST(CsvParser, SkipsAHugeRecordWithoutKeepingIt) {
  const Generated file = generate(300, 100, 2u << 20);
  const Options options = limited(1u << 20, 16384);
  const std::string whole = run_whole(file.input, options);
  EXPECT_NE(whole.find("bad record_too_large row 100 line "), std::string::npos);
  EXPECT_NE(whole.find("is longer than the limit of 1048576 bytes"), std::string::npos);
  EXPECT_NE(whole.find("\nrow 101 line "), std::string::npos);
  EXPECT_NE(whole.find("\nrow 300 line "), std::string::npos);
  expect_split_invariant(
      file.input, [&](const Chunks& chunks) { return run_csv(chunks, options); }, 4);
}

// Random bytes from the characters that matter, under tight limits: every chunking agrees.
TEST(CsvParser, RandomInputsAreSplitInvariant) {
  static const char alphabet[] = {'a',  'b', ',',    ',',    '"',    '"',   '\n',
                                  '\r', ' ', '\xC3', '\xA9', '\xFF', '\xEF'};
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, sizeof alphabet - 1);
  std::uniform_int_distribution<std::size_t> length(0, 120);
  for (int round = 0; round < 300; ++round) {
    std::string input = round % 4 == 0 ? "\xEF\xBB\xBF" : "";
    for (std::size_t i = length(rng); i > 0; --i) input += alphabet[pick(rng)];
    Options options = limited(round % 2 ? 12 : 1000, round % 3 ? 3 : 100);
    options.header = round % 5 == 0 ? HeaderMode::absent : HeaderMode::present;
    SCOPED_TRACE("round " + std::to_string(round) + ": " + visible(input));
    expect_split_invariant(
        input, [&](const Chunks& chunks) { return run_csv(chunks, options); }, 20, round);
    if (::testing::Test::HasFailure()) break;
  }
}

}  // namespace
