// NDJSON and JSON-array output: keys, kinds, typed text, escaping, empty results.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "writer_test_util.hpp"

namespace fastthread {
namespace {

using testing::jbool;
using testing::jnull;
using testing::jnumber;
using testing::jraw;
using testing::jstring;
using testing::missing;
using testing::TestRow;
using testing::text;
using testing::value;
using testing::write_rows;

WriterOptions ndjson(bool typed = true) {
  WriterOptions options;
  options.format = OutputFormat::ndjson;
  options.typed = typed;
  return options;
}

// The NDJSON line for one column "v" of type `type` holding `field` classified as `v`.
std::string one(ValueType type, Field field, ValueType v, bool typed = true) {
  return write_rows(ndjson(typed), {"v"}, {{type}}, {{{field}, {value(v)}}});
}

TEST(JsonWriter, NdjsonWritesOneObjectPerLineWithKeysInColumnOrder) {
  const std::string out =
      write_rows(ndjson(), {"a", "b"}, {{ValueType::string}, {ValueType::string}},
                 {{{text("x"), text("y")}, {value(ValueType::string), value(ValueType::string)}},
                  {{text("z"), text("w")}, {value(ValueType::string), value(ValueType::string)}}});
  EXPECT_EQ(out, "{\"a\":\"x\",\"b\":\"y\"}\n{\"a\":\"z\",\"b\":\"w\"}\n");
}

TEST(JsonWriter, MissingFieldsAndShortRowsOmitTheirKeys) {
  const std::vector<std::string> columns = {"a", "b", "c"};
  const std::vector<ColumnOutput> types(3, ColumnOutput{ValueType::int64});
  const Value i = value(ValueType::int64);
  const std::string out = write_rows(ndjson(), columns, types,
                                     {{{missing(), text("2"), text("3")}, {i, i, i}},
                                      {{text("1"), missing(), text("3")}, {i, i, i}},
                                      {{text("1")}, {i}},
                                      {{missing(), missing(), missing()}, {i, i, i}},
                                      {{}, {}}});
  EXPECT_EQ(out, "{\"b\":2,\"c\":3}\n{\"a\":1,\"c\":3}\n{\"a\":1}\n{}\n{}\n");
}

TEST(JsonWriter, JsonKindedFieldsKeepTheirKindTypedOrNot) {
  for (bool typed : {true, false}) {
    const std::string out =
        write_rows(ndjson(typed), {"s", "n", "t", "f", "z", "j"}, std::vector<ColumnOutput>(6),
                   {{{jstring("a\"b"), jnumber("-1.5e3"), jbool("true"), jbool("false"), jnull(),
                      jraw("[1,{\"x\":null},\"s\"]")},
                     std::vector<Value>(6, value(ValueType::string))}});
    EXPECT_EQ(
        out,
        "{\"s\":\"a\\\"b\",\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"j\":[1,{\"x\":null},\"s\"]}\n")
        << "typed " << typed;
  }
}

TEST(JsonWriter, JsonStringsThatLookLikeNumbersStayStrings) {
  EXPECT_EQ(one(ValueType::int64, jstring("42"), ValueType::int64), "{\"v\":\"42\"}\n");
  EXPECT_EQ(one(ValueType::null, jstring("true"), ValueType::boolean), "{\"v\":\"true\"}\n");
}

TEST(JsonWriter, TypedTextNullTokensBecomeNullInEveryColumnType) {
  for (ValueType type : {ValueType::null, ValueType::boolean, ValueType::int64, ValueType::float64,
                         ValueType::date, ValueType::datetime, ValueType::string}) {
    EXPECT_EQ(one(type, text("NA"), ValueType::null), "{\"v\":null}\n") << static_cast<int>(type);
    EXPECT_EQ(one(type, text(""), ValueType::null), "{\"v\":null}\n") << static_cast<int>(type);
  }
}

TEST(JsonWriter, TypedTextNumbersInNumberColumnsBecomeNormalisedJsonNumbers) {
  EXPECT_EQ(one(ValueType::int64, text("42"), ValueType::int64), "{\"v\":42}\n");
  EXPECT_EQ(one(ValueType::int64, text("-7"), ValueType::int64), "{\"v\":-7}\n");
  EXPECT_EQ(one(ValueType::int64, text("+7"), ValueType::int64), "{\"v\":7}\n");
  EXPECT_EQ(one(ValueType::float64, text("3"), ValueType::int64), "{\"v\":3}\n");
  EXPECT_EQ(one(ValueType::float64, text("1.25"), ValueType::float64), "{\"v\":1.25}\n");
  EXPECT_EQ(one(ValueType::float64, text(".5"), ValueType::float64), "{\"v\":0.5}\n");
  EXPECT_EQ(one(ValueType::float64, text("+.5"), ValueType::float64), "{\"v\":0.5}\n");
  EXPECT_EQ(one(ValueType::float64, text("-.5"), ValueType::float64), "{\"v\":-0.5}\n");
  EXPECT_EQ(one(ValueType::float64, text("5."), ValueType::float64), "{\"v\":5.0}\n");
  EXPECT_EQ(one(ValueType::float64, text("-5."), ValueType::float64), "{\"v\":-5.0}\n");
  EXPECT_EQ(one(ValueType::float64, text("5.e3"), ValueType::float64), "{\"v\":5.0e3}\n");
  EXPECT_EQ(one(ValueType::float64, text("1E+10"), ValueType::float64), "{\"v\":1E+10}\n");
  // Beyond int64 it is a float64 but keeps every digit of its spelling.
  EXPECT_EQ(one(ValueType::float64, text("123456789012345678901234567890"), ValueType::float64),
            "{\"v\":123456789012345678901234567890}\n");
}

TEST(JsonWriter, TypedTextBooleansInBooleanColumnsBecomeTrueOrFalse) {
  for (std::string_view t : {"true", "True", "TRUE"}) {
    EXPECT_EQ(one(ValueType::boolean, text(t), ValueType::boolean), "{\"v\":true}\n") << t;
  }
  for (std::string_view f : {"false", "False", "FALSE"}) {
    EXPECT_EQ(one(ValueType::boolean, text(f), ValueType::boolean), "{\"v\":false}\n") << f;
  }
}

TEST(JsonWriter, TypedTextThatDoesNotFitItsColumnTypeIsAString) {
  EXPECT_EQ(one(ValueType::string, text("42"), ValueType::int64), "{\"v\":\"42\"}\n");
  EXPECT_EQ(one(ValueType::string, text("True"), ValueType::boolean), "{\"v\":\"True\"}\n");
  EXPECT_EQ(one(ValueType::int64, text("True"), ValueType::boolean), "{\"v\":\"True\"}\n");
  EXPECT_EQ(one(ValueType::boolean, text("1"), ValueType::int64), "{\"v\":\"1\"}\n");
  EXPECT_EQ(one(ValueType::int64, text("abc"), ValueType::string), "{\"v\":\"abc\"}\n");
  EXPECT_EQ(one(ValueType::date, text("2024-02-29"), ValueType::date), "{\"v\":\"2024-02-29\"}\n");
  EXPECT_EQ(one(ValueType::datetime, text("2024-02-29 10:00"), ValueType::datetime),
            "{\"v\":\"2024-02-29 10:00\"}\n");
}

TEST(JsonWriter, TypedTextInAColumnWithNoKnownTypeIsWrittenAsClassified) {
  EXPECT_EQ(one(ValueType::null, text("+3"), ValueType::int64), "{\"v\":3}\n");
  EXPECT_EQ(one(ValueType::null, text(".25"), ValueType::float64), "{\"v\":0.25}\n");
  EXPECT_EQ(one(ValueType::null, text("TRUE"), ValueType::boolean), "{\"v\":true}\n");
  EXPECT_EQ(one(ValueType::null, text("null"), ValueType::null), "{\"v\":null}\n");
  EXPECT_EQ(one(ValueType::null, text("2024-01-01"), ValueType::date), "{\"v\":\"2024-01-01\"}\n");
  EXPECT_EQ(one(ValueType::null, text("x"), ValueType::string), "{\"v\":\"x\"}\n");
}

TEST(JsonWriter, UntypedTextIsAlwaysAStringOfItsExactText) {
  EXPECT_EQ(one(ValueType::int64, text("+7"), ValueType::int64, false), "{\"v\":\"+7\"}\n");
  EXPECT_EQ(one(ValueType::boolean, text("TRUE"), ValueType::boolean, false), "{\"v\":\"TRUE\"}\n");
  EXPECT_EQ(one(ValueType::string, text("NA"), ValueType::null, false), "{\"v\":\"NA\"}\n");
  EXPECT_EQ(one(ValueType::string, text(""), ValueType::null, false), "{\"v\":\"\"}\n");
}

TEST(JsonWriter, TextWithoutAClassificationIsAString) {
  const std::string out = write_rows(ndjson(), {"a", "b"}, std::vector<ColumnOutput>(2, {ValueType::int64}),
                                     {{{text("1"), text("2")}, {value(ValueType::int64)}}});
  EXPECT_EQ(out, "{\"a\":1,\"b\":\"2\"}\n");
}

TEST(JsonWriter, StringsAndKeysEscapeQuotesBackslashesAndControlCharacters) {
  using namespace std::string_literals;
  const std::string raw = "q\" b\\ n\n r\r t\t b\b f\f nul\0 us\x1f del\x7f /slash é€😀"s;
  const std::string escaped = R"(q\" b\\ n\n r\r t\t b\b f\f nul\u0000 us\u001f del)"s + "\x7f /slash é€😀";
  const std::string out =
      write_rows(ndjson(), {raw}, {{ValueType::string}}, {{{jstring(raw)}, {value(ValueType::string)}}});
  EXPECT_EQ(out, "{\"" + escaped + "\":\"" + escaped + "\"}\n");
}

// The plainest possible escaper, to check the word-at-a-time one at every position.
std::string reference_json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    char buf[8];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

TEST(JsonWriter, EscapingMatchesAPlainEscaperOnRandomStrings) {
  std::mt19937_64 rng(7);
  const std::string alphabet = std::string("abc \"\\/\n\r\t\b\f\x01\x1f\x7f", 15) + "\xc3\xa9";
  for (int round = 0; round < 2000; ++round) {
    std::string s(rng() % 40, 'x');
    // Mostly clean text with an occasional special byte, so clean 8-byte words occur.
    for (char& c : s) {
      if (rng() % 6 == 0) c = alphabet[rng() % alphabet.size()];
    }
    const std::string out = write_rows(ndjson(false), {"k"}, {{ValueType::string}}, {{{text(s)}, {}}});
    ASSERT_EQ(out, "{\"k\":" + reference_json_string(s) + "}\n") << "round " << round;
  }
}

TEST(JsonWriter, AJsonParserReadsBackEveryKeyAndValue) {
  std::mt19937_64 rng(11);
  // Whole characters, so the text stays valid UTF-8 as the parsers guarantee.
  const std::vector<std::string> pieces = {"a",    "z",    " ",        "\"",           "\\",
                                           "/",    "\n",   "\r",       "\t",           std::string(1, '\0'),
                                           "\x01", "\x1f", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  const auto random_text = [&] {
    std::string s;
    for (std::uint64_t n = rng() % 20; n > 0; --n) s += pieces[rng() % pieces.size()];
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> columns = {random_text() + "0", random_text() + "1", "n"};
    const std::string a = random_text(), b = random_text();
    const std::string out =
        write_rows(ndjson(), columns, {{}, {}, {ValueType::float64}},
                   {{{text(a), jstring(b), text("-.5")},
                     {value(ValueType::string), value(ValueType::string), value(ValueType::float64)}}});
    const auto doc = nlohmann::json::parse(out);
    ASSERT_EQ(doc.at(columns[0]), a);
    ASSERT_EQ(doc.at(columns[1]), b);
    ASSERT_EQ(doc.at("n"), -0.5);
  }
}

WriterOptions json_array() {
  WriterOptions options;
  options.format = OutputFormat::json;
  return options;
}

TEST(JsonWriter, ArrayJoinsRowsWithCommaNewlineAndEndsWithANewline) {
  const Value s = value(ValueType::string);
  EXPECT_EQ(write_rows(json_array(), {"a"}, {{}}, {{{text("x")}, {s}}}), "[{\"a\":\"x\"}]\n");
  EXPECT_EQ(
      write_rows(json_array(), {"a"}, {{}}, {{{text("x")}, {s}}, {{text("y")}, {s}}, {{missing()}, {s}}}),
      "[{\"a\":\"x\"},\n{\"a\":\"y\"},\n{}]\n");
}

TEST(JsonWriter, EmptyResults) {
  EXPECT_EQ(write_rows(json_array(), {"a"}, {{}}, {}), "[]\n");
  EXPECT_EQ(write_rows(json_array(), {}, {}, {}), "[]\n");
  EXPECT_EQ(write_rows(ndjson(), {"a"}, {{}}, {}), "");

  // end() without begin() still closes a valid array, and a second end() adds nothing.
  testing::PieceSink sink;
  auto writer = make_writer(json_array(), sink);
  writer->end();
  writer->end();
  EXPECT_EQ(sink.joined(), "[]\n");
  EXPECT_EQ(writer->bytes_written(), 3u);
}

}  // namespace
}  // namespace fastthread
