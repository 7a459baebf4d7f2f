// JSON (array of objects, or one object) parsing: golden files under random chunkings.
#include <gtest/gtest.h>

#include "json_generated_input.hpp"
#include "json_golden.hpp"

namespace fastthread {
namespace {

using testing::expect_golden;
using testing::JsonRunOptions;

JsonRunOptions json(Limits limits = {}) {
  return JsonRunOptions{false, true, limits};
}

TEST(JsonArrayParser, ArrayOfObjects) {
  expect_golden("arr_basic.json", json());
}
TEST(JsonArrayParser, SingleTopLevelObject) {
  expect_golden("arr_single.json", json());
}
TEST(JsonArrayParser, EmptyArray) {
  expect_golden("arr_empty.json", json());
}
TEST(JsonArrayParser, BlankInputHasNoRows) {
  expect_golden("arr_blank.json", json());
}
TEST(JsonArrayParser, BadElementsAreReportedAndSkipped) {
  expect_golden("arr_errors.json", json());
}
TEST(JsonArrayParser, MismatchedBracketStopsParsing) {
  expect_golden("arr_mismatch.json", json());
}
TEST(JsonArrayParser, MissingCommaStopsParsing) {
  expect_golden("arr_missing_comma.json", json());
}
TEST(JsonArrayParser, GarbageAfterArray) {
  expect_golden("arr_trailing_garbage.json", json());
}
TEST(JsonArrayParser, GarbageAfterSingleObject) {
  expect_golden("arr_single_garbage.json", json());
}
TEST(JsonArrayParser, TruncatedInElement) {
  expect_golden("arr_truncated.json", json());
}
TEST(JsonArrayParser, TruncatedAfterComma) {
  expect_golden("arr_truncated_comma.json", json());
}
TEST(JsonArrayParser, TruncatedAfterOpen) {
  expect_golden("arr_truncated_open.json", json());
}
TEST(JsonArrayParser, TruncatedAfterElement) {
  expect_golden("arr_truncated_after.json", json());
}
TEST(JsonArrayParser, TruncatedInScalar) {
  expect_golden("arr_truncated_scalar.json", json());
}
TEST(JsonArrayParser, TopLevelScalar) {
  expect_golden("arr_top_scalar.json", json());
}
TEST(JsonArrayParser, TopLevelGarbage) {
  expect_golden("arr_top_garbage.json", json());
}
TEST(JsonArrayParser, BomSkipped) {
  expect_golden("arr_bom.json", json());
}
TEST(JsonArrayParser, StraySeparatorsAreSkipped) {
  expect_golden("arr_stray.json", json());
}

TEST(JsonArrayParser, DepthLimit) {
  Limits limits;
  limits.max_json_depth = 3;
  expect_golden("arr_deep.json", json(limits));
}

TEST(JsonArrayParser, RecordLimit) {
  Limits limits;
  limits.max_record_bytes = 30;
  expect_golden("arr_too_large.json", json(limits));
}

TEST(JsonArrayParser, RecordLimitThenTruncated) {
  Limits limits;
  limits.max_record_bytes = 30;
  expect_golden("arr_too_large_truncated.json", json(limits));
}

TEST(JsonArrayParser, HandlerStopsTheParser) {
  testing::RecordingHandler handler;
  handler.stop_after_rows = 1;
  auto parser = make_json_parser(false, true, Limits{}, handler);
  EXPECT_FALSE(parser->feed("[{\"a\":1},{\"a\":2}"));
  EXPECT_FALSE(parser->finish());
  EXPECT_EQ(handler.log, "row 1 line 1 @1: [number 1]\n");
}

TEST(JsonArrayParser, GeneratedInputMatchesItsModelUnderRandomChunkings) {
  const testing::GeneratedJson generated = testing::generate_json(11, 2000, false);
  const std::string got = testing::expect_split_invariant(
      generated.input, [](const auto& chunks) { return testing::run_json(json(), chunks); }, 20);
  EXPECT_EQ(got, generated.expected_log + "bytes " + std::to_string(generated.input.size()) + " done\n");
}


// An element a million levels deep, with the depth limit raised past it: the element
// scanner's bracket stack and the record parser's own stack both hold it.
TEST(JsonArrayParser, MillionLevelsDeepElementUnderRandomChunkings) {
  constexpr std::size_t kLevels = 1'000'000;
  Limits limits;
  limits.max_json_depth = 2'000'000;
  std::string element;  // [{"k": is two levels
  for (std::size_t i = 0; i < kLevels / 2; ++i) element += "[{\"k\":";
  element += "true";
  for (std::size_t i = 0; i < kLevels / 2; ++i) element += "}]";
  const std::string input = "[{\"a\":" + element + "}, {\"a\":1}]";
  const std::string expected = "row 1 line 1 @1: [json " + element + "]\n" +
                               "row 2 line 1 @" + std::to_string(element.size() + 9) + ": [number 1]\n" +
                               "columns: <a>\nbytes " + std::to_string(input.size()) + " done\n";
  std::mt19937_64 rng(6);
  EXPECT_TRUE(testing::run_json(json(limits), {input}) == expected);
  EXPECT_TRUE(testing::run_json(json(limits), testing::split(input, 2, rng, 100'000)) == expected);
}

}  // namespace
}  // namespace fastthread
