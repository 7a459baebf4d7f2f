// The summary's printed layout: dump(2)'s value, with short arrays and objects on one line.
#include "fastthread/pretty_json.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "fastthread/job.hpp"

namespace fastthread {
namespace {

using json = nlohmann::ordered_json;

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  std::string out;
};

const char* kWeather =
    "id,city,temp,measured\n"
    "1,Oslo,-3.5,2024-01-05T08:00:00Z\n"
    "2,Lima,19.25,2024-01-05T08:00:00Z\n"
    "3,Oslo,NA,2024-01-06T08:00:00Z\n"
    "4,Pune\n"
    "5,Lima,21,2024-01-06T08:00:00Z\n";

json weather_summary() {
  std::string error;
  auto options = JobOptions::from_json({{"name", "weather.csv"}, {"to", "none"}}, error);
  EXPECT_TRUE(options) << error;
  StringSink sink;
  Job job(*options, sink);
  job.feed(kWeather);
  return job.finish().summary;
}

// The first ```json block under "## Example" in docs/summary.md, without its last newline.
std::string documented_example() {
  std::ifstream in(std::string(FASTTHREAD_DOCS) + "/summary.md");
  std::string line, block;
  bool in_example = false, in_block = false;
  while (std::getline(in, line)) {
    if (line == "## Example") in_example = true;
    if (in_example && line == "```json") {
      in_block = true;
    } else if (in_block && line == "```") {
      break;
    } else if (in_block) {
      block += line + "\n";
    }
  }
  if (!block.empty()) block.pop_back();
  return block;
}

TEST(PrettyJson, ShortContainersGoOnOneLineLongOnesOneMemberPerLine) {
  const json value = json::parse(R"({"a": 1, "empty": [], "none": {}, "counts": [1, 2, 3],
      "long": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "cccccccccccccccccccc"],
      "nested": {"x": {"y": [true, null, 1.5, "é\n"]}}})");
  EXPECT_EQ(pretty_json(value),
            "{\n"
            "  \"a\": 1,\n"
            "  \"empty\": [],\n"
            "  \"none\": {},\n"
            "  \"counts\": [1, 2, 3],\n"
            "  \"long\": [\n"
            "    \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\n"
            "    \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\n"
            "    \"cccccccccccccccccccc\"\n"
            "  ],\n"
            "  \"nested\": {\"x\": {\"y\": [true, null, 1.5, \"é\\n\"]}}\n"
            "}");
}

TEST(PrettyJson, TheLineWidthIsCountedInCodePointsAndIsInclusive) {
  // [" + 96 code points + "] is 100 wide: one line; one more and it is not.
  std::string text(94, 'a');
  text += "éé";
  EXPECT_EQ(pretty_json(json::array({text})), "[\"" + text + "\"]");
  EXPECT_EQ(pretty_json(json::array({text + "a"})), "[\n  \"" + text + "a\"\n]");
  EXPECT_EQ(pretty_json(json::array({1, 2}), 5), "[\n  1,\n  2\n]");
  EXPECT_EQ(pretty_json(json::array({1, 2}), 6), "[1, 2]");
}

TEST(PrettyJson, ScalarsAreSpelledAsDumpSpellsThem) {
  for (const char* text : {"0.1", "21.0", "-3.5e-300", "18446744073709551615", "-9223372036854775808",
                           "\"\\u0001\\\"\"", "true", "null"}) {
    const json value = json::parse(text);
    EXPECT_EQ(pretty_json(value), value.dump()) << text;
    EXPECT_EQ(pretty_json(json::array({value})), json::array({value}).dump()) << text;
  }
}

TEST(PrettyJson, ASummaryReadsBackAsTheSameValueAsDump2) {
  const json summary = weather_summary();
  const std::string text = pretty_json(summary), dump2 = summary.dump(2);
  EXPECT_EQ(json::parse(text), json::parse(dump2));
  EXPECT_EQ(json::parse(text), summary);
  // Far shorter than dump(2): the histograms' counts and the type counts are one line each.
  EXPECT_LT(std::count(text.begin(), text.end(), '\n') * 5, std::count(dump2.begin(), dump2.end(), '\n') * 3);
  EXPECT_NE(text.find("\"types\": {\"int64\": 1, \"float64\": 2},"), std::string::npos);
  EXPECT_NE(text.find("\"counts\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],"),
            std::string::npos);
  // Every line fits a screen but the ones a long text makes long (the sniffer's reason).
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("\"reason\"") == std::string::npos) {
      EXPECT_LE(line.size(), 130u) << line;
    }
  }
}

TEST(PrettyJson, TheDocumentedExampleIsTheRealOutput) {
  // docs/summary.md shows weather.csv's summary with its third column only and one run's timings.
  json summary = weather_summary();
  json temp = summary["columns"][2];
  ASSERT_EQ(temp["name"], "temp");
  summary["columns"] = json::array({temp});
  summary["timings"] = json::parse(R"({"sniff_ms": 0.448, "parse_ms": 0.041, "total_ms": 0.489})");
  EXPECT_EQ(documented_example(), pretty_json(summary));
}

}  // namespace
}  // namespace fastthread
