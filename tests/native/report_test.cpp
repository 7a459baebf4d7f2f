// The report of `fastthread parse`: given this summary JSON, this table comes back.
#include "report.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "fastthread/job.hpp"
#include "report_text.hpp"

namespace fastthread::cli {
namespace {

using json = nlohmann::ordered_json;

class NullSink final : public OutputSink {
 public:
  void write(std::string_view) override {}
};

json summary_of(std::string_view input, const char* name) {
  std::string error;
  auto options = JobOptions::from_json({{"name", name}, {"to", "none"}}, error);
  EXPECT_TRUE(options) << error;
  NullSink sink;
  Job job(*options, sink);
  job.feed(input);
  return job.finish().summary;
}

const char* kWeather =
    "id,city,temp,measured\n"
    "1,Oslo,-3.5,2024-01-05T08:00:00Z\n"
    "2,Lima,19.25,2024-01-05T08:00:00Z\n"
    "3,Oslo,NA,2024-01-06T08:00:00Z\n"
    "4,Pune\n"
    "5,Lima,21,2024-01-06T08:00:00Z\n";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The line of the table that starts with `name` and a space.
std::string row_of(const std::string& report, const std::string& name) {
  for (const std::string& line : lines_of(report)) {
    if (line.rfind(name + " ", 0) == 0) return line;
  }
  return "";
}

// The words of a line: the table's cells when no cell has a space.
std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// The column entry of a summary with only what the report reads, for hand-made shapes.
json column(const char* name, json top, json distinct = {{"value", 5000}, {"exact", true}, {"error", 0.0}}) {
  return {{"name", name},
          {"type", "string"},
          {"count", 9000},
          {"nulls", 1234},
          {"min", "a"},
          {"max", "z"},
          {"distinct", std::move(distinct)},
          {"top", std::move(top)},
          {"numeric", nullptr}};
}

json summary_with(json columns) {
  return {{"file", {{"name", "big.csv"}, {"bytes", 2500000}}},
          {"status", "done"},
          {"error", nullptr},
          {"format", {{"name", "csv"}, {"delimiter", ";"}, {"quote", "\""}, {"header", true}}},
          {"rows", 9000},
          {"bad_rows", 0},
          {"columns", std::move(columns)}};
}

TEST(Report, OneLinePerColumnWithItsStatistics) {
  const std::string report = format_report(summary_of(kWeather, "weather.csv"), 160);
  const auto lines = lines_of(report);
  ASSERT_GE(lines.size(), 8u) << report;
  EXPECT_EQ(lines[0], "weather.csv: csv (delimiter ',', header), 158 B, 4 rows, 1 bad row");
  EXPECT_EQ(lines[1], "  row 4 (line 5, byte 120) ragged_row: row 4 has 2 fields, expected 4");
  EXPECT_EQ(words_of(lines[3]), (std::vector<std::string>{"column", "type", "nulls", "distinct", "min", "max",
                                                          "mean", "p50", "top"}));
  EXPECT_EQ(words_of(row_of(report, "id")),
            (std::vector<std::string>{"id", "int64", "0", "4", "1", "5", "2.75", "2", "(all", "distinct)"}));
  EXPECT_EQ(words_of(row_of(report, "city")),
            (std::vector<std::string>{"city", "string", "0", "2", "Lima", "Oslo", "Lima", "(2)"}));
  EXPECT_EQ(words_of(row_of(report, "temp")),
            (std::vector<std::string>{"temp", "float64", "1", "3", "-3.5", "21", "12.25", "19.25", "(all",
                                      "distinct)"}));
  EXPECT_EQ(words_of(row_of(report, "measured")),
            (std::vector<std::string>{"measured", "datetime", "0", "2", "2024-01-05T08:00:00Z",
                                      "2024-01-06T08:00:00Z", "2024-01-05T20:00:00Z", "2024-01-05T08:00:00Z",
                                      "2024-01-05T08:00:00Z", "(2)"}));
  // The cells of a column start at the same terminal column (counted in code points).
  const std::size_t mean_at = display_width(lines[3].substr(0, lines[3].find("mean")));
  EXPECT_EQ(display_width(row_of(report, "temp").substr(0, row_of(report, "temp").find("12.25"))), mean_at);
  // Four rows: the sketch still holds every value, so the quantiles are exact (rank_error 0).
  EXPECT_EQ(report.find("≈"), std::string::npos) << report;
}

TEST(Report, TheDocumentedReportIsTheRealOne) {
  std::ifstream in(std::string(FASTTHREAD_DOCS) + "/summary.md");
  std::string line, block;
  bool in_block = false;
  while (std::getline(in, line)) {
    if (line == "```text") {
      in_block = true;
    } else if (in_block && line == "```") {
      break;
    } else if (in_block) {
      block += line + "\n";
    }
  }
  EXPECT_EQ(block, format_report(summary_of(kWeather, "weather.csv"), 100));
}

TEST(Report, TopValuesInEveryShape) {
  const json exact = {{"exact", true}, {"values", {{{"value", "Oslo"}, {"count", 2}}}}};
  const json noise = {{"exact", false}, {"values", json::array()}, {"others_max", 6250}};
  const json lower = {{"exact", false}, {"values", {{{"value", "Oslo"}, {"count", 4688}, {"error", 12}}}}};
  const json sure = {{"exact", false}, {"values", {{{"value", "Oslo"}, {"count", 4688}, {"error", 0}}}}};
  const json all = {{"exact", false}, {"all_distinct", true}, {"values", json::array()}};
  const json none = {{"exact", true}, {"values", json::array()}};
  const json single = {{"exact", true}, {"values", {{{"value", "Oslo"}, {"count", 1}}}}};
  const std::string report =
      format_report(summary_with({column("exact", exact), column("noise", noise), column("lower", lower),
                                  column("sure", sure), column("all", all), column("none", none),
                                  column("single", single, {{"value", 1}, {"exact", true}, {"error", 0.0}})}),
                    100);
  EXPECT_EQ(words_of(row_of(report, "exact")).back(), "(2)");
  EXPECT_NE(row_of(report, "exact").find("  Oslo (2)"), std::string::npos);
  EXPECT_NE(row_of(report, "noise").find("  (none stands out)"), std::string::npos) << report;
  EXPECT_NE(row_of(report, "lower").find("  ≈Oslo (≥4,688)"), std::string::npos) << report;
  EXPECT_NE(row_of(report, "sure").find("  ≈Oslo (4,688)"), std::string::npos) << report;
  EXPECT_NE(row_of(report, "all").find("  (all distinct)"), std::string::npos) << report;
  EXPECT_EQ(words_of(row_of(report, "none")).back(), "z");
  EXPECT_NE(row_of(report, "single").find("  Oslo (1)"), std::string::npos)
      << "one value is not 'all distinct'\n"
      << report;
  EXPECT_NE(report.find("≥N: at least N"), std::string::npos) << report;
  EXPECT_EQ(lines_of(report)[0], "big.csv: csv (delimiter ';', header), 2.5 MB, 9,000 rows, 0 bad rows");
  EXPECT_EQ(words_of(row_of(report, "exact"))[2], "1,234");
}

TEST(Report, AnEstimatedDistinctCountSaysSoAndHowFarOff) {
  const json top = {{"exact", true}, {"values", {{{"value", "x"}, {"count", 2}}}}};
  const std::string report = format_report(
      summary_with({column("guess", top, {{"value", 123456}, {"exact", false}, {"error", 0.0081}}),
                    column("known", top)}),
      100);
  EXPECT_EQ(words_of(row_of(report, "guess"))[3], "≈123,456") << report;
  EXPECT_EQ(words_of(row_of(report, "known"))[3], "5,000") << report;
  EXPECT_NE(report.find("relative standard error 0.81%"), std::string::npos) << report;
  EXPECT_EQ(report.find("quantile"), std::string::npos) << "no quantile, no legend for it:\n" << report;
}

TEST(Report, LongTextsAreCutToFitTheTerminal) {
  const std::string long_name =
      "température_moyenne_journalière_mesurée_à_la_station_principale_de_référence";
  const json top = {{"exact", true}, {"values", {{{"value", std::string(200, 'x')}, {"count", 7}}}}};
  json col = column(long_name.c_str(), top);
  col["max"] = "東京" + std::string(100, 'y');
  const std::string report = format_report(summary_with({col}), 80);
  for (const std::string& line : lines_of(report)) EXPECT_LE(display_width(line), 80u) << line;
  std::string row;
  for (const std::string& line : lines_of(report)) {
    if (line.rfind("tempér", 0) == 0) row = line;
  }
  ASSERT_FALSE(row.empty()) << report;
  EXPECT_NE(row.find("…"), std::string::npos);
  EXPECT_NE(row.find("x… (7)"), std::string::npos) << "the count survives the cut:\n" << report;
  EXPECT_NE(row.find("東京"), std::string::npos);
}

TEST(Report, TooNarrowForATableEachColumnBecomesARecord) {
  const std::string report = format_report(summary_of(kWeather, "weather.csv"), 40);
  for (const std::string& line : lines_of(report)) EXPECT_LE(display_width(line), 40u) << line;
  EXPECT_NE(report.find("\nid  int64\n    nulls 0  distinct 4  min 1  max 5\n"), std::string::npos) << report;
  EXPECT_NE(report.find("mean 12.25  p50 19.25"), std::string::npos) << report;
  // A top value too long for a line keeps its count.
  const json top = {{"exact", true}, {"values", {{{"value", std::string(200, 'x')}, {"count", 7}}}}};
  const std::string record = format_report(summary_with({column("long", top)}), 40);
  EXPECT_NE(record.find("\n    top xxxxxxxxxxxxxxxxxxxxxxxxxxx… (7)\n"), std::string::npos) << record;
}

TEST(Report, MeanAndP50MakeWayBeforeTheTableBecomesRecords) {
  const std::string report = format_report(summary_of(kWeather, "weather.csv"), 100);
  EXPECT_EQ(words_of(row_of(report, "temp")),
            (std::vector<std::string>{"temp", "float64", "1", "3", "-3.5", "21", "(all", "distinct)"}));
  EXPECT_NE(report.find("mean and p50 left out to fit 100 columns (139 show them"), std::string::npos)
      << report;
}

TEST(Report, AFailedJobSaysWhyAndWhereAndListsAFewBadRows) {
  std::string csv = "a,b\n";
  for (int i = 0; i < 6; ++i) csv += "1\n";
  std::string error;
  auto options = JobOptions::from_json(
      {{"name", "bad.csv"}, {"to", "none"}, {"max_errors", 5}, {"format", "csv"}}, error);
  ASSERT_TRUE(options) << error;
  NullSink sink;
  Job job(*options, sink);
  job.feed(csv);
  const std::string report = format_report(job.finish().summary, 100);
  const auto lines = lines_of(report);
  ASSERT_GE(lines.size(), 6u) << report;
  EXPECT_NE(lines[0].find(", failed"), std::string::npos) << report;
  EXPECT_EQ(lines[1].rfind("stopped: ", 0), 0u) << report;
  EXPECT_EQ(lines[2].rfind("  row 1 (line 2, byte 4) ragged_row: ", 0), 0u) << report;
  EXPECT_EQ(lines[4].rfind("  row 3 (line 4", 0), 0u) << report;
  EXPECT_EQ(lines[5].rfind("  … 3 more (the JSON summary lists the first 6)", 0), 0u) << report;
}

TEST(Report, TheHeaderNamesTheFormatAndItsDialect) {
  const auto first_line = [](std::string_view input, const char* name) {
    return lines_of(format_report(summary_of(input, name), 100))[0];
  };
  EXPECT_EQ(first_line("a\tb\n1\t2\n", "x.tsv"), "x.tsv: tsv (header), 8 B, 1 row, 0 bad rows");
  EXPECT_EQ(first_line("\xEF\xBB\xBF"
                       "a;b\n1;2\nx;y\n",
                       "x.csv"),
            "x.csv: csv (delimiter ';', no header, BOM), 15 B, 3 rows, 0 bad rows");
  EXPECT_EQ(
      first_line("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326 \"-\" \"curl\"\n",
                 "access.log"),
      "access.log: log (combined), 80 B, 1 row, 0 bad rows");
  EXPECT_EQ(first_line("{\"a\": 1}\n", "x.ndjson"), "x.ndjson: ndjson, 9 B, 1 row, 0 bad rows");
}

TEST(Report, ASummaryWithKeysMissingOrOddIsStillAReport) {
  EXPECT_NO_THROW((void)format_report(json::object(), 80));
  EXPECT_NO_THROW(
      (void)format_report(json::parse(R"({"columns": [{"name": 3, "top": [], "distinct": "x"}, 7]})"), 80));
  EXPECT_NE(format_report(json::object(), 80).find("no columns"), std::string::npos);
}

TEST(ReportText, NumbersAPersonReads) {
  EXPECT_EQ(count_text(0), "0");
  EXPECT_EQ(count_text(999), "999");
  EXPECT_EQ(count_text(1000), "1,000");
  EXPECT_EQ(count_text(18446744073709551615ull), "18,446,744,073,709,551,615");
  EXPECT_EQ(float_text(13.667936932836644), "13.67");
  EXPECT_EQ(float_text(21.0), "21");
  EXPECT_EQ(float_text(-3.5), "-3.5");
  EXPECT_EQ(float_text(0.000123456), "0.0001235");
  EXPECT_EQ(float_text(123456.7), "123457");
  EXPECT_EQ(float_text(9999.96), "10000");
  EXPECT_EQ(float_text(-0.00001), "-1.000e-05");
  EXPECT_EQ(float_text(2e300), "2.000e+300");
  EXPECT_EQ(float_text(0.0), "0");
  EXPECT_EQ(bytes_text(158), "158 B");
  EXPECT_EQ(bytes_text(1536000), "1.5 MB");
  EXPECT_EQ(bytes_text(999999), "1.0 MB");
  EXPECT_EQ(bytes_text(250000000000), "250 GB");
}

TEST(ReportText, WidthsCutsAndControlCharacters) {
  EXPECT_EQ(display_width("Oslo"), 4u);
  EXPECT_EQ(display_width("é"), 1u);
  EXPECT_EQ(display_width("e\u0301"), 1u);
  EXPECT_EQ(display_width("東京"), 4u);
  EXPECT_EQ(display_width("\xff\xfe"), 2u);
  EXPECT_EQ(cut("Oslo", 4), "Oslo");
  EXPECT_EQ(cut("Trondheim", 5), "Tron…");
  EXPECT_EQ(cut("ééééé", 3), "éé…");
  EXPECT_EQ(cut("東京都庁", 5), "東京…");
  EXPECT_EQ(printable("a\nb\tc\x1b[31m"), "a\\nb\\tc\\u001b[31m");
}

}  // namespace
}  // namespace fastthread::cli
