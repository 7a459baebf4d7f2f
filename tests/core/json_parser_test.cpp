// NDJSON parsing: golden files (each under 200 random chunkings), stopping, BOM.
#include <gtest/gtest.h>

#include "fastthread/parser.hpp"
#include "json_generated_input.hpp"
#include "json_golden.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

using testing::expect_golden;
using testing::JsonRunOptions;

JsonRunOptions ndjson(Limits limits = {}, bool skip_bom = true) {
  return JsonRunOptions{true, skip_bom, limits};
}

TEST(NdjsonParser, FlatRowsCrlfBlankLinesAndMissingKeys) {
  expect_golden("nd_basic.ndjson", ndjson());
}
TEST(NdjsonParser, NestedObjectsArraysAndDuplicateKeys) {
  expect_golden("nd_nested.ndjson", ndjson());
}
TEST(NdjsonParser, StringEscapesAndUtf8) {
  expect_golden("nd_strings.ndjson", ndjson());
}
TEST(NdjsonParser, NumbersKeepTheirExactSpelling) {
  expect_golden("nd_numbers.ndjson", ndjson());
}
TEST(NdjsonParser, BadLinesAreReportedAndSkipped) {
  expect_golden("nd_errors.ndjson", ndjson());
}
TEST(NdjsonParser, TruncatedStringAtEnd) {
  expect_golden("nd_truncated.ndjson", ndjson());
}
TEST(NdjsonParser, TruncatedObjectAtEnd) {
  expect_golden("nd_truncated_object.ndjson", ndjson());
}
TEST(NdjsonParser, BomSkipped) {
  expect_golden("nd_bom.ndjson", ndjson());
}
TEST(NdjsonParser, BomKeptIsBadJson) {
  expect_golden("nd_bom_kept.ndjson", ndjson({}, false));
}
TEST(NdjsonParser, BrokenBomIsData) {
  expect_golden("nd_bom_partial.ndjson", ndjson());
}

TEST(NdjsonParser, DepthLimit) {
  Limits limits;
  limits.max_json_depth = 3;
  expect_golden("nd_deep.ndjson", ndjson(limits));
}

TEST(NdjsonParser, RecordLimit) {
  Limits limits;
  limits.max_record_bytes = 20;
  expect_golden("nd_too_large.ndjson", ndjson(limits));
}

TEST(NdjsonParser, ColumnLimitLeavesColumnsOfBadRowsOut) {
  Limits limits;
  limits.max_columns = 3;
  expect_golden("nd_too_many_columns.ndjson", ndjson(limits));
}

TEST(NdjsonParser, HandlerStopsTheParser) {
  testing::RecordingHandler handler;
  handler.stop_after_rows = 2;
  auto parser = make_json_parser(true, true, Limits{}, handler);
  EXPECT_FALSE(parser->feed("{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n"));
  EXPECT_EQ(handler.rows, 2u);
  EXPECT_FALSE(parser->feed("{\"a\":4}\n"));
  EXPECT_FALSE(parser->finish());
  EXPECT_EQ(handler.rows, 2u);
}

// A handler that refuses bad rows stops the parser there too.
class StopOnBadRow : public testing::RecordingHandler {
 public:
  bool on_bad_row(const Issue& issue) override {
    RecordingHandler::on_bad_row(issue);
    return false;
  }
};

TEST(NdjsonParser, BadRowHandlerStopsTheParser) {
  StopOnBadRow handler;
  auto parser = make_json_parser(true, true, Limits{}, handler);
  EXPECT_FALSE(parser->feed("{\"a\":1}\n{\"a\":x}\n{\"a\":3}\n"));
  EXPECT_FALSE(parser->finish());
  EXPECT_EQ(handler.log,
            "row 1 line 1 @0: [number 1]\n"
            "bad bad_json row 2 line 2 @13 col '': expected a value, found 'x'\n");
}

TEST(NdjsonParser, RowsAreExactlyAsWideAsTheColumns) {
  // Each on_row span has the column count at that moment: earlier rows are narrower.
  const std::string log = testing::run_json(ndjson(), {"{\"a\":1}\n{\"b\":2}\n{\"a\":3}\n"});
  EXPECT_EQ(log,
            "row 1 line 1 @0: [number 1]\n"
            "row 2 line 2 @8: [missing ] [number 2]\n"
            "row 3 line 3 @16: [number 3] [missing ]\n"
            "columns: <a> <b>\n"
            "bytes 24 done\n");
}

TEST(NdjsonParser, GeneratedInputMatchesItsModelUnderRandomChunkings) {
  const testing::GeneratedJson generated = testing::generate_json(7, 2000, true);
  ASSERT_NE(generated.input.find("123456789012345678901234567890"), std::string::npos);
  ASSERT_NE(generated.input.find("1.00000000000000000000001"), std::string::npos);
  const std::string got = testing::expect_split_invariant(
      generated.input, [](const auto& chunks) { return testing::run_json(ndjson(), chunks); }, 20);
  EXPECT_EQ(got, generated.expected_log + "bytes " + std::to_string(generated.input.size()) + " done\n");
}


// A line a million levels deep, with the depth limit raised past it, reads the same in one
// chunk as in random ones (the framing carries it; the record parser keeps its own stack).
TEST(NdjsonParser, MillionLevelsDeepLineUnderRandomChunkings) {
  constexpr std::size_t kLevels = 1'000'000;
  Limits limits;
  limits.max_json_depth = 2'000'000;
  const std::string deep = std::string(kLevels, '[') + std::string(kLevels, ']');
  const std::string input = "{\"a\":" + deep + "}\n{\"a\":" + std::string(kLevels, '{') + "}\n";
  const std::string expected = "row 1 line 1 @0: [json " + deep + "]\n" +
                               "bad bad_json row 2 line 2 @" + std::to_string(deep.size() + 7 + 5 + 1) +
                               " col '': expected a string key or '}' in object, found '{'\n"
                               "columns: <a>\nbytes " + std::to_string(input.size()) + " done\n";
  std::mt19937_64 rng(5);
  EXPECT_TRUE(testing::run_json(ndjson(limits), {input}) == expected);
  EXPECT_TRUE(testing::run_json(ndjson(limits), testing::split(input, 2, rng, 100'000)) == expected);
}

}  // namespace
}  // namespace fastthread
