// The error vocabulary: one spelling per code, the documents' tables list exactly the codes,
// and places and errors survive their JSON.
#include "fastthread/error.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace fastthread {
namespace {

// The `code`s of the first markdown table after the line `heading` in docs/`file`.
std::set<std::string> table_codes(const std::string& file, const std::string& heading) {
  std::ifstream in(std::string(FASTTHREAD_DOCS) + "/" + file);
  std::set<std::string> codes;
  std::string line;
  bool after_heading = false, in_table = false;
  while (std::getline(in, line)) {
    if (!after_heading) {
      after_heading = line == heading;
      continue;
    }
    if (line.rfind("| `", 0) == 0) {
      in_table = true;
      const auto end = line.find('`', 3);
      codes.insert(line.substr(3, end - 3));
    } else if (in_table) {
      break;
    }
  }
  return codes;
}

constexpr auto kLast = static_cast<int>(ErrorCode::bad_log_line);

TEST(ErrorCode, EverySpellingReadsBackAsItsCode) {
  std::set<std::string_view> seen;
  for (int i = 0; i <= kLast; ++i) {
    const auto code = static_cast<ErrorCode>(i);
    EXPECT_TRUE(seen.insert(to_string(code)).second) << to_string(code);
    EXPECT_EQ(parse_error_code(to_string(code)), code);
  }
  EXPECT_EQ(parse_error_code("too_many_errors"), std::nullopt);
  EXPECT_EQ(parse_error_code(""), std::nullopt);
}

TEST(ErrorCode, TheDocumentsListExactlyTheVocabulary) {
  std::set<std::string> documented = table_codes("protocol.md", "Codes:");
  const auto rows = table_codes("summary.md", "### Error codes of bad rows");
  ASSERT_FALSE(rows.empty());
  documented.insert(rows.begin(), rows.end());
  std::set<std::string> vocabulary;
  for (int i = 0; i <= kLast; ++i) vocabulary.insert(std::string(to_string(static_cast<ErrorCode>(i))));
  EXPECT_EQ(documented, vocabulary);
}

TEST(ErrorJson, AnErrorWithAPlaceReadsBackAsItself) {
  const JobError error{ErrorCode::parse_error, "row 17 has 5 fields, expected 4", Place{17, 18, 2045}};
  const auto json = to_json(error);
  EXPECT_EQ(json.dump(),
            R"({"code":"parse_error","message":"row 17 has 5 fields, expected 4",)"
            R"("place":{"row":17,"line":18,"byte_offset":2045}})");
  const auto back = job_error_from_json(nlohmann::json::parse(json.dump()));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->code, ErrorCode::parse_error);
  EXPECT_EQ(back->message, error.message);
  ASSERT_TRUE(back->place);
  EXPECT_EQ(back->place->row, 17u);
  EXPECT_EQ(back->place->line, 18u);
  EXPECT_EQ(back->place->byte_offset, 2045u);
}

TEST(ErrorJson, AnErrorWithoutAPlaceHasANullPlace) {
  const auto json = to_json(JobError{ErrorCode::cancelled, "the job was cancelled", std::nullopt});
  EXPECT_EQ(json.dump(), R"({"code":"cancelled","message":"the job was cancelled","place":null})");
  const auto back = job_error_from_json(nlohmann::json::parse(json.dump()));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->place);
}

TEST(ErrorJson, ACodeOutsideTheVocabularyIsNoError) {
  EXPECT_FALSE(job_error_from_json(nlohmann::json::parse(R"({"code":"oops","message":"m"})")));
  EXPECT_FALSE(job_error_from_json(nlohmann::json::parse(R"({"message":"m"})")));
  EXPECT_FALSE(job_error_from_json(nlohmann::json::parse(R"("parse_error")")));
}

TEST(PlaceJson, ANegativeOrMissingCountIsNoPlace) {
  EXPECT_FALSE(place_from_json(nlohmann::json::parse(R"({"row":-1,"line":1,"byte_offset":0})")));
  EXPECT_FALSE(place_from_json(nlohmann::json::parse(R"({"row":1,"line":1})")));
  EXPECT_FALSE(place_from_json(nlohmann::json(nullptr)));
  const auto place = place_from_json(nlohmann::json::parse(R"({"row":3,"line":4,"byte_offset":5})"));
  ASSERT_TRUE(place);
  EXPECT_EQ(place->byte_offset, 5u);
}

TEST(IssueJson, ARowProblemNamesItsColumnWhenThereIsOne) {
  const Issue issue{ErrorCode::invalid_utf8, "invalid UTF-8", Place{2, 3, 40}, "city", {}};
  EXPECT_EQ(to_json(issue).dump(),
            R"({"code":"invalid_utf8","message":"invalid UTF-8","row":2,"line":3,"byte_offset":40,"column":"city"})");
  EXPECT_EQ(to_json(Issue{ErrorCode::ragged_row, "m", Place{1, 2, 3}, "", {}}).dump(),
            R"({"code":"ragged_row","message":"m","row":1,"line":2,"byte_offset":3})");
}

}  // namespace
}  // namespace fastthread
