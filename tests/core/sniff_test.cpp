#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fastthread/format.hpp"

namespace fastthread {
namespace {

constexpr const char* kCombined =
    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /a.gif HTTP/1.0\" 200 2326 \"http://x/\" "
    "\"Mozilla/4.08\"\n";
constexpr const char* kCommon = "10.1.2.3 - - [10/Oct/2000:13:55:36 +0000] \"GET / HTTP/1.1\" 304 -\n";

std::string repeat(std::string_view line, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += line;
  return out;
}

// SniffRequest holds views: the text must outlive the call.
SniffRequest request(std::string_view head, bool is_complete = true, std::string_view file_name = {}) {
  SniffRequest r;
  r.head = head;
  r.is_complete = is_complete;
  r.file_name = file_name;
  return r;
}

struct Case {
  const char* name;
  std::string head;
  std::string file_name;
  Format format;
  char delimiter;     // checked for csv/tsv only
  HeaderMode header;  // checked for csv/tsv only
  double min_confidence;
  double max_confidence;
  std::string reason_part;  // must occur in the reason
  bool is_complete = true;
};

std::vector<Case> cases() {
  const HeaderMode yes = HeaderMode::present, no = HeaderMode::absent, any = HeaderMode::automatic;
  return {
      {"comma with header", "name,age,city\nalice,31,paris\nbob,42,rome\ncarol,27,oslo\n", "", Format::csv,
       ',', yes, 0.9, 1, "',' gives 3 fields on all 4 sampled records"},
      {"semicolon beats inconsistent comma",
       "name;price;note\napple;1,5;red\npear;2,25;green, ripe\nfig;3;dry\n", "", Format::csv, ';', yes, 0.6,
       1, "';' gives 3 fields on all 4 sampled records; ',' is inconsistent"},
      {"tab", "id\tvalue\n1\tx\n2\ty\n3\tz\n", "", Format::tsv, '\t', yes, 0.8, 1, "tab gives 2 fields"},
      {"pipe", "a|b|c|d\n1|2|3|4\n5|6|7|8\n", "", Format::csv, '|', yes, 0.8, 1, "'|' gives 4 fields"},
      {"quoted fields hide other delimiters",
       "id,comment,score\n1,\"a; b; c\",3\n2,\"x|y, z\",4\n3,\"multi\nline; text\",5\n", "", Format::csv, ',',
       yes, 0.8, 1, "',' gives 3 fields on all 4 sampled records"},
      {"no header: numbers in the first row", "1,2,3\n4,5,6\n7,8,9\n", "", Format::csv, ',', no, 0.8, 1,
       "no header (the first row has a number or date)"},
      {"no header: first row like the rest", "ab,cd\nef,gh\nij,kl\n", "", Format::csv, ',', no, 0.6, 0.8,
       "no header (the first row looks like the rows below it)"},
      {"no header: repeated value", "x,x\ny,z\n", "", Format::csv, ',', no, 0.5, 0.9, "repeats a value"},
      {"no header: empty value", ",b\nc,d\n", "", Format::csv, ',', no, 0.5, 0.9, "has an empty value"},
      {"header over dates", "day,city\n2024-01-01,paris\n2024-01-02,rome\n", "", Format::csv, ',', yes, 0.8,
       1, "text above numbers or dates"},
      {"all text with a distinct first row is a header", "first,last\nalice,smith\nrobert,jones\n", "",
       Format::csv, ',', yes, 0.6, 1, "a header"},
      {"crlf", "a,b\r\n1,2\r\n3,4\r\n", "", Format::csv, ',', yes, 0.8, 1, "',' gives 2 fields on all 3"},
      {"cut-off last record is not counted", "a;b;c\n1;2;3\n4;5;6\n7;8", "", Format::csv, ';', yes, 0.8, 1,
       "on all 3 sampled records", false},
      {"bom before csv", "\xEF\xBB\xBFx,y\n1,2\n", "", Format::csv, ',', yes, 0.5, 1, "',' gives 2 fields"},
      {"combined log", repeat(kCombined, 57), "", Format::log, 0, any, 0.9, 1,
       "every one of 57 sampled lines is a Combined Log Format line"},
      {"common log", repeat(kCommon, 3), "", Format::log, 0, any, 0.9, 1,
       "every one of 3 sampled lines is a Common Log Format line"},
      {"nginx default with scanner junk",
       repeat(kCombined, 3) + "198.51.100.23 - - [01/Jan/2024:00:00:02 +0000] \"\\x16\\x03\\x01\" 400 157 "
                              "\"-\" \"-\"\nnot a log line\n",
       "access.log", Format::log, 0, any, 0.7, 1,
       "4 of 5 sampled lines are Combined Log Format lines, and the .log"},
      {"json array", "[{\"a\": 1}, {\"a\": 2}]", "", Format::json, 0, any, 0.85, 1, "JSON array"},
      {"json array with leading space", "  \n[1,2,3]", "x.json", Format::json, 0, any, 0.95, 1,
       ".json name agrees"},
      {"bracketed csv is not json", "[a],[b]\n[c],[d]\n", "", Format::csv, ',', no, 0.5, 1,
       "',' gives 2 fields"},
      {"ndjson", "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n", "", Format::ndjson, 0, any, 0.9, 1,
       "the next line starts another"},
      {"ndjson with braces in strings", "{\"a\":\"}{\\\"\"}\n{\"a\":2}\n", "", Format::ndjson, 0, any, 0.9, 1,
       "complete JSON object"},
      {"single pretty object", "{\n  \"a\": 1,\n  \"b\": [1, 2]\n}\n", "", Format::json, 0, any, 0.85, 1,
       "one JSON object"},
      {"single object spans the sample", "{\n  \"a\": [1, 2, 3,", "", Format::json, 0, any, 0.8, 1,
       "a single JSON object spans the sample", false},
      {"one-line object named .ndjson", "{\"a\":1}\n", "data.ndjson", Format::ndjson, 0, any, 0.4, 1,
       ".ndjson name decides"},
      {"one-line object named .json", "{\"a\":1}\n", "data.json", Format::json, 0, any, 0.6, 1,
       ".json name decides"},
      {"csv named .json: content wins", "a,b\n1,2\n", "data.json", Format::csv, ',', yes, 0.5, 0.95,
       "the content wins over the .json name"},
      {"ndjson named .csv: content wins", "{\"a\":1}\n{\"a\":2}\n", "x.CSV", Format::ndjson, 0, any, 0.8, 0.9,
       "the content wins over the .csv name, which says csv"},
      {"tab content named .csv", "a\tb\n1\t2\n", "x.csv", Format::tsv, '\t', yes, 0.5, 1, "content wins"},
      {"one column named .tsv", "hello\n", "notes.tsv", Format::tsv, '\t', yes, 0.2, 0.6,
       ".tsv name decides"},
      {"one column without a name", "hello\nworld\n", "", Format::csv, ',', no, 0.2, 0.4,
       "no delimiter gives more than one field"},
      {"comma and tab tie: .tsv prefers tab", "a,b\tc\nd,e\tf\n", "t.tsv", Format::tsv, '\t', no, 0.5, 1,
       "',' is as consistent"},
      {"comma and tab tie: comma first", "a,b\tc\nd,e\tf\n", "", Format::csv, ',', no, 0.5, 1,
       "tab is as consistent"},
      {"empty", "", "x.csv", Format::csv, ',', no, 0, 0, "empty input"},
      {"blank", " \n\r\n", "", Format::csv, ',', no, 0, 0, "empty input"},
  };
}

TEST(Sniff, DetectsEachSampleInTheTable) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const Detected d = sniff(request(c.head, c.is_complete, c.file_name));
    EXPECT_EQ(to_string(d.format), to_string(c.format)) << d.reason;
    if (c.format == Format::csv || c.format == Format::tsv) {
      EXPECT_EQ(d.csv.delimiter, c.delimiter) << d.reason;
      EXPECT_EQ(static_cast<int>(d.csv.header), static_cast<int>(c.header)) << d.reason;
    }
    EXPECT_GE(d.confidence, c.min_confidence) << d.reason;
    EXPECT_LE(d.confidence, c.max_confidence) << d.reason;
    EXPECT_NE(d.reason.find(c.reason_part), std::string::npos) << d.reason;
    EXPECT_EQ(d.bom, c.head.starts_with("\xEF\xBB\xBF"));
  }
}

TEST(Sniff, TellsTheLogVariant) {
  const std::string combined = repeat(kCombined, 4), common = repeat(kCommon, 4),
                    mix = repeat(kCommon, 3) + kCombined;
  EXPECT_EQ(sniff(request(combined)).log, LogVariant::combined);
  EXPECT_EQ(sniff(request(common)).log, LogVariant::common);
  // A mix is combined: that parser reads the common lines too.
  const Detected mixed = sniff(request(mix));
  EXPECT_EQ(mixed.log, LogVariant::combined);
  EXPECT_NE(mixed.reason.find(
                "every one of 4 sampled lines is an access-log line, 1 of them in Combined Log Format"),
            std::string::npos)
      << mixed.reason;
}

TEST(Sniff, LogLinesWithBomAndCrlf) {
  const std::string head =
      "\xEF\xBB\xBF" + repeat("1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 1\r\n", 2);
  const Detected d = sniff(request(head));
  EXPECT_EQ(d.format, Format::log);
  EXPECT_TRUE(d.bom);
  EXPECT_EQ(d.log, LogVariant::common);
}

TEST(Sniff, KeepsForcedChoicesAndSniffsTheRest) {
  SniffRequest forced = request("a;b\n1;2\n3;4\n", true, "x.json");
  forced.format = Format::csv;
  Detected d = sniff(forced);
  EXPECT_EQ(d.format, Format::csv);
  EXPECT_EQ(d.csv.delimiter, ';');
  EXPECT_EQ(d.csv.header, HeaderMode::present);
  EXPECT_NE(d.reason.find("the format was given; ';' gives 2 fields"), std::string::npos) << d.reason;

  forced.delimiter = ',';
  forced.header = HeaderMode::absent;
  d = sniff(forced);
  EXPECT_EQ(d.csv.delimiter, ',');
  EXPECT_EQ(d.csv.header, HeaderMode::absent);
  EXPECT_EQ(d.confidence, 1);

  SniffRequest json = request("a,b\n1,2\n");
  json.format = Format::ndjson;
  d = sniff(json);
  EXPECT_EQ(d.format, Format::ndjson);
  EXPECT_EQ(d.confidence, 1);

  SniffRequest tsv = request("a,b\n1,2\n");
  tsv.format = Format::tsv;
  d = sniff(tsv);
  EXPECT_EQ(d.csv.delimiter, '\t');

  const std::string log_head = repeat(kCommon, 2) + "junk\n";
  SniffRequest log = request(log_head);
  log.format = Format::log;
  d = sniff(log);
  EXPECT_EQ(d.log, LogVariant::common);
  EXPECT_NEAR(d.confidence, 2.0 / 3.0, 1e-9);

  // A forced delimiter without a forced format: the content still decides the format.
  SniffRequest delimited = request("x\ty\n1\t2\n");
  delimited.delimiter = '\t';
  d = sniff(delimited);
  EXPECT_EQ(d.format, Format::tsv);
  EXPECT_NE(d.reason.find("the delimiter was given"), std::string::npos);
  delimited.head = "{\"a\":1}\n{\"a\":2}\n";
  EXPECT_EQ(sniff(delimited).format, Format::ndjson);
}

TEST(Sniff, EmptyInputKeepsAForcedFormat) {
  SniffRequest empty = request("");
  empty.format = Format::tsv;
  const Detected d = sniff(empty);
  EXPECT_EQ(d.format, Format::tsv);
  EXPECT_EQ(d.csv.delimiter, '\t');
  EXPECT_EQ(d.reason, "empty input");
}

TEST(Sniff, ManyRecordsAreSampledConsistently) {
  std::string head = "a;b;c;d;e;f;g;h;i;j;k;l\n";
  for (int i = 0; i < 199; ++i) head += "1;2,5;3;4;5;6;7;8;9;10;11;x, y\n";
  const Detected d = sniff(request(head));
  EXPECT_EQ(d.csv.delimiter, ';');
  EXPECT_NE(d.reason.find("';' gives 12 fields on all 200 sampled records; ',' is inconsistent"),
            std::string::npos)
      << d.reason;
}

}  // namespace
}  // namespace fastthread

namespace fastthread {
namespace {

TEST(Sniff, NeverFailsOnRandomBytes) {
  std::mt19937_64 rng(3);
  const std::string alphabet = "{}[]\",;|\t\n\r \\-0123456789abc\xEF\xBB\xBF\x80";
  for (int round = 0; round < 2000; ++round) {
    std::string head(rng() % 80, ' ');
    for (char& c : head) c = alphabet[rng() % alphabet.size()];
    const Detected d = sniff(request(head, round % 2 == 0, round % 3 == 0 ? "a.tsv" : ""));
    EXPECT_GE(d.confidence, 0);
    EXPECT_LE(d.confidence, 1);
    EXPECT_FALSE(d.reason.empty());
  }
}

}  // namespace
}  // namespace fastthread
