// JsonRecordParser: one whole record -> one flattened row, or a problem with its offset.
#include "json_record.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fastthread::detail {
namespace {

std::string describe(std::span<const Field> fields) {
  std::string out;
  for (const Field& field : fields) {
    out += "[" + std::to_string(static_cast<int>(field.kind)) + ":" + std::string(field.text) + "]";
  }
  return out;
}

TEST(JsonRecordParser, EscapedStringsStayValidTogether) {
  // Every unescaped string of a row lives in one scratch buffer that must not move.
  Limits limits;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  std::string record = "{";
  for (int i = 0; i < 200; ++i) {
    if (i > 0) record += ",";
    record += "\"k" + std::to_string(i) + "\":\"v\\u00e9" + std::to_string(i) + "\"";
  }
  record += "}";
  ASSERT_TRUE(parser.parse(record, 0));
  ASSERT_EQ(parser.fields().size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(parser.fields()[i].text, "v\xC3\xA9" + std::to_string(i));
    EXPECT_EQ(columns.name(i), "k" + std::to_string(i));
  }
}

TEST(JsonRecordParser, BadRecordAddsNoColumnsAndResetsItsFields) {
  Limits limits;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  ASSERT_TRUE(parser.parse(R"({"a":1})", 0));
  parser.clear_row();
  ASSERT_FALSE(parser.parse(R"({"a":2,"new":3,"b":})", 100));
  EXPECT_EQ(parser.problem().code, ErrorCode::bad_json);
  EXPECT_EQ(parser.problem().message, "expected a value, found '}'");
  EXPECT_EQ(parser.problem().offset, 119u);
  EXPECT_EQ(columns.size(), 1u);
  EXPECT_EQ(describe(parser.fields()), "[0:]");
  // The column refused above can be added by a later good row, at the next number.
  ASSERT_TRUE(parser.parse(R"({"b":true,"new":"x"})", 0));
  EXPECT_EQ(describe(parser.fields()), "[0:][4:true][2:x]");
  EXPECT_EQ(columns.name(1), "b");
  EXPECT_EQ(columns.name(2), "new");
}

TEST(JsonRecordParser, KeyOrderChangesBetweenRows) {
  Limits limits;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  ASSERT_TRUE(parser.parse(R"({"a":1,"b":2})", 0));
  parser.clear_row();
  ASSERT_TRUE(parser.parse(R"({"b":3,"a":4})", 0));
  EXPECT_EQ(describe(parser.fields()), "[3:4][3:3]");
  parser.clear_row();
  ASSERT_TRUE(parser.parse(R"({"c":{"a":5}})", 0));
  EXPECT_EQ(describe(parser.fields()), "[0:][0:][3:5]");
  EXPECT_EQ(columns.name(2), "c.a");
}

TEST(JsonRecordParser, ArraysAreCanonical) {
  Limits limits;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  ASSERT_TRUE(parser.parse(R"({"a":[ "\u0041\/\u001f\ud83d\ude00\"" , {"x" : [ ] } , 1.0e5 , false ]})", 0));
  EXPECT_EQ(parser.fields()[0].text, "[\"A/\\u001f\xF0\x9F\x98\x80\\\"\",{\"x\":[]},1.0e5,false]");
  EXPECT_EQ(parser.fields()[0].kind, FieldKind::json);
}

TEST(JsonRecordParser, ScalarEndNameIsUsedInMessages) {
  Limits limits;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of input", "',' or ']' after array element");
  parser.set_end_name("','");
  ASSERT_FALSE(parser.parse("nul", 10));
  EXPECT_EQ(parser.problem().message, "expected 'null', found ','");
  EXPECT_EQ(parser.problem().offset, 13u);
}


// `levels` objects, each the only member "a" of the one around it, around a 1.
std::string nested_objects(std::size_t levels) {
  std::string record;
  record.reserve(levels * 6 + 1);
  for (std::size_t i = 0; i < levels; ++i) record += "{\"a\":";
  record += '1';
  record.append(levels, '}');
  return record;
}

// A client may raise max_json_depth far past what recursion would survive: the parser
// keeps its own stack, so a record a million levels deep is read like any other.
TEST(JsonRecordParser, MillionLevelsOfObjectsFlattenIntoOneColumn) {
  constexpr std::size_t kLevels = 1'000'000;
  Limits limits;
  limits.max_json_depth = 2'000'000;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  const std::string record = nested_objects(kLevels);  // the fields point into it
  ASSERT_TRUE(parser.parse(record, 0)) << parser.problem().message;
  ASSERT_EQ(parser.fields().size(), 1u);
  EXPECT_EQ(describe(parser.fields()), "[3:1]");
  std::string name = "a";
  for (std::size_t i = 1; i < kLevels; ++i) name += ".a";
  EXPECT_EQ(columns.name(0), name);
}

TEST(JsonRecordParser, MillionLevelsOfArraysAndObjectsInArraysAreCanonical) {
  constexpr std::size_t kLevels = 1'000'000;
  Limits limits;
  limits.max_json_depth = 2'000'000;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  // Arrays with spaces inside, and arrays of objects holding arrays: [{"k" : [{"k" : ... 0}]}]
  std::string record = "{\"a\":";
  std::string canonical;
  for (std::size_t i = 0; i < kLevels; ++i) record += "[ ";
  record.append(kLevels, ']');
  canonical.append(kLevels, '[');
  canonical.append(kLevels, ']');
  record += ",\"b\":";
  std::string b_canonical;
  for (std::size_t i = 0; i < kLevels / 2; ++i) {
    record += "[{\"k\" : ";
    b_canonical += "[{\"k\":";
  }
  record += '0';
  b_canonical += '0';
  for (std::size_t i = 0; i < kLevels / 2; ++i) {
    record += "} ]";
    b_canonical += "}]";
  }
  record += '}';
  ASSERT_TRUE(parser.parse(record, 0)) << parser.problem().message;
  ASSERT_EQ(parser.fields().size(), 2u);
  EXPECT_EQ(parser.fields()[0].kind, FieldKind::json);
  EXPECT_TRUE(parser.fields()[0].text == canonical);
  EXPECT_EQ(parser.fields()[1].kind, FieldKind::json);
  EXPECT_TRUE(parser.fields()[1].text == b_canonical);
}

TEST(JsonRecordParser, MillionLevelsDeepRecordThatIsNoObjectIsRefusedAsSuch) {
  constexpr std::size_t kLevels = 1'000'000;
  Limits limits;
  limits.max_json_depth = 2'000'000;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  ASSERT_FALSE(parser.parse(std::string(kLevels, '[') + std::string(kLevels, ']'), 7));
  EXPECT_EQ(parser.problem().code, ErrorCode::not_an_object);
  EXPECT_EQ(parser.problem().message, "expected an object, found an array");
  EXPECT_EQ(parser.problem().offset, 7u);
  // Unclosed, it is bad JSON at its end.
  ASSERT_FALSE(parser.parse(std::string(kLevels, '['), 7));
  EXPECT_EQ(parser.problem().code, ErrorCode::bad_json);
  EXPECT_EQ(parser.problem().message, "expected a value, found end of line");
  EXPECT_EQ(parser.problem().offset, 7 + kLevels);
}

// The first bracket past the limit is the place of the error, however deep the limit.
TEST(JsonRecordParser, TooDeepNamesTheBracketThatOpensOneLevelTooMany) {
  Limits limits;
  limits.max_json_depth = 100'000;
  Columns columns;
  JsonRecordParser parser(limits, columns, "end of line", "end of line after JSON value");
  ASSERT_FALSE(parser.parse(nested_objects(1'000'000), 1000));
  EXPECT_EQ(parser.problem().code, ErrorCode::too_deep);
  EXPECT_EQ(parser.problem().message,
            "expected at most 100000 levels of nesting (max_json_depth), found '{' opening level 100001");
  EXPECT_EQ(parser.problem().offset, 1000u + 5 * 100'000);  // each level is {"a":
  EXPECT_EQ(columns.size(), 0u);

  // {"a":[[... : the record's object is level 1, so the 100000th '[' opens level 100001.
  ASSERT_FALSE(parser.parse("{\"a\":" + std::string(200'000, '[') + std::string(200'000, ']') + "}", 0));
  EXPECT_EQ(parser.problem().code, ErrorCode::too_deep);
  EXPECT_EQ(parser.problem().message,
            "expected at most 100000 levels of nesting (max_json_depth), found '[' opening level 100001");
  EXPECT_EQ(parser.problem().offset, 5u + 99'999);

  // Exactly at the limit is fine, empty objects included.
  ASSERT_TRUE(parser.parse(nested_objects(100'000), 0)) << parser.problem().message;
  parser.clear_row();
  ASSERT_TRUE(parser.parse("{\"a\":" + std::string(99'999, '[') + std::string(99'999, ']') + "}", 0))
      << parser.problem().message;
}

}  // namespace
}  // namespace fastthread::detail
