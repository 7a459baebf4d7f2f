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

}  // namespace
}  // namespace fastthread::detail
