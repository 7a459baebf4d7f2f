// Encodings through the Job API: given these bytes, this output and this summary come
// back whatever the chunking, and places count the bytes as given.
#include <gtest/gtest.h>

#include "job_harness.hpp"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "encoding_detect.hpp"
#include "fastthread/job.hpp"
#include "not_text.hpp"
#include "split_harness.hpp"
#include "transcode.hpp"

namespace fastthread {
namespace {

using Chunks = std::vector<std::string_view>;

Result run(const JobOptions& options, const Chunks& chunks, std::string* out = nullptr) {
  StringSink sink;
  Job job(options, sink);
  for (auto chunk : chunks) {
    if (!job.feed(chunk)) break;
  }
  Result result = job.finish();
  result.summary.erase("timings");
  if (out) *out = sink.out;
  return result;
}

Result run(const JobOptions& options, std::string_view input) {
  return run(options, Chunks{input});
}

// The output and the keys of the summary this stage decides (statistics are other tests').
std::string golden_text(const JobOptions& options, const Chunks& chunks) {
  std::string out;
  const Result r = run(options, chunks, &out);
  nlohmann::ordered_json kept;
  for (const char* key : {"file", "status", "error", "format", "rows", "bad_rows", "errors"}) kept[key] = r.summary[key];
  return out + "---\n" + kept.dump(1) + "\n";
}

std::string whole_text(const JobOptions& options, const Chunks& chunks) {
  std::string out;
  const Result r = run(options, chunks, &out);
  return out + "\n---\n" + r.summary.dump(1);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string utf16le(std::u16string_view text) {
  std::string out;
  for (char16_t c : text) {
    out += static_cast<char>(c & 0xFF);
    out += static_cast<char>(c >> 8);
  }
  return out;
}

struct Golden {
  const char* file;
  const char* encoding;  // the option, or nullptr for auto
};

// Inputs made by tests/encoding_inputs.py.
const Golden kGoldens[] = {
    {"excel_1252_sep.csv", nullptr},   {"excel_unicode_text.txt", nullptr}, {"utf16be_bom.csv", nullptr},
    {"utf16le_no_bom.csv", nullptr},   {"utf16be_no_bom.tsv", nullptr},     {"surrogate_pairs.csv", nullptr},
    {"lone_surrogate.csv", nullptr},   {"utf16_events.ndjson", nullptr},    {"utf8_bom_sep.csv", nullptr},
    {"utf8_bom.tsv", nullptr},         {"mostly_utf8.csv", nullptr},        {"latin1.csv", nullptr},
    {"latin1.csv", "latin-1"},         {"latin1.csv", "windows-1252"},      {"excel_unicode_text.txt", "utf-16le"},
    {"image.png", nullptr},            {"workbook.xlsx", nullptr},          {"report.xls", nullptr},
    {"data.csv.gz", nullptr},          {"binary.csv", nullptr},
};

void PrintTo(const Golden& golden, std::ostream* out) {
  *out << golden.file << (golden.encoding ? std::string(" --encoding ") + golden.encoding : "");
}

class EncodingGolden : public ::testing::TestWithParam<Golden> {};

TEST_P(EncodingGolden, MatchesExpectedInEveryChunking) {
  const Golden& g = GetParam();
  const std::string path = std::string(FASTTHREAD_TEST_DATA) + "/encodings/" + g.file;
  const std::string input = read_file(path);
  ASSERT_FALSE(input.empty()) << "missing golden input " << path;
  nlohmann::json json = {{"name", g.file}, {"max_errors", -1}};
  if (g.encoding) json["encoding"] = g.encoding;
  const JobOptions options = options_from(json);
  const std::string expected_path = path + (g.encoding ? std::string(".") + g.encoding : "") + ".expected";
  const std::string actual = golden_text(options, Chunks{input});
  if (std::getenv("FASTTHREAD_UPDATE_GOLDEN") != nullptr) std::ofstream(expected_path, std::ios::binary) << actual;
  EXPECT_EQ(read_file(expected_path), actual) << expected_path << " does not match (FASTTHREAD_UPDATE_GOLDEN=1 rewrites it)";
  // Whole summaries and outputs: the same in every chunking, in every output format, and
  // with a head so short that it is cut inside characters.
  for (const char* to : {"ndjson", "csv"}) {
    for (int sniff_bytes : {65536, 5}) {
      SCOPED_TRACE(std::string(to) + " sniff_bytes " + std::to_string(sniff_bytes));
      json["to"] = to;
      json["sniff_bytes"] = sniff_bytes;
      const JobOptions o = options_from(json);
      testing::expect_split_invariant(input, [&](const Chunks& chunks) { return whole_text(o, chunks); }, 100);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Encodings, EncodingGolden, ::testing::ValuesIn(kGoldens),
                         [](const ::testing::TestParamInfo<Golden>& param) {
                           std::string name;
                           for (const char* c = param.param.file; *c; ++c) name += std::isalnum(*c) ? *c : '_';
                           if (param.param.encoding) {
                             name += "_as_";
                             for (const char* c = param.param.encoding; *c; ++c) name += std::isalnum(*c) ? *c : '_';
                           }
                           return name;
                         });

TEST(Encoding, ExcelWindows1252WithSepLineReadsAsTyped) {
  const std::string input = "sep=;\r\nName;City;Price\r\nJos\xE9;Z\xFCrich;1,50\r\n";
  std::string out;
  const Result r = run(options_from({{"name", "export.csv"}}), Chunks{input}, &out);
  EXPECT_EQ(r.state, JobState::done);
  EXPECT_EQ(out, "{\"Name\":\"Jos\xC3\xA9\",\"City\":\"Z\xC3\xBCrich\",\"Price\":\"1,50\"}\n");
  const auto& f = r.summary["format"];
  EXPECT_EQ(f["encoding"], "windows-1252");
  EXPECT_EQ(f["encoding_reason"], "byte 0xE9 at offset 27 is not UTF-8; read as Windows-1252");
  EXPECT_EQ(f["delimiter"], ";");
  EXPECT_EQ(f["sep_line"], true);
  EXPECT_EQ(r.summary["rows"], 1);
  EXPECT_EQ(r.summary["bad_rows"], 0);
  EXPECT_LT(f["confidence"].get<double>(), 0.9) << "a guessed encoding lowers the confidence";
}

// For each bad row: the offset of its record's first byte in the input as given.
void expect_bad_rows_at(const Result& r, const std::vector<std::uint64_t>& offsets, const std::vector<std::uint64_t>& lines) {
  const auto& first = r.summary["errors"]["first"];
  ASSERT_EQ(first.size(), offsets.size()) << r.summary["errors"].dump();
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    EXPECT_EQ(first[i]["byte_offset"], offsets[i]) << first[i].dump();
    EXPECT_EQ(first[i]["line"], lines[i]) << first[i].dump();
  }
}

TEST(Encoding, BadRowOffsetsCountInputBytesInUtf16AndWindows1252) {
  // UTF-16LE with a BOM: the ragged row starts after 2 + 2 * 18 bytes.
  const std::string header = "\xFF\xFE" + utf16le(u"a,b\n\u00E9,\U0001F600\nx,y\n");
  const std::string utf16 = header + utf16le(u"ragged\n\u00FC,z\n");
  const std::uint64_t utf16_offset = header.size();
  testing::expect_split_invariant(utf16, [&](const Chunks& chunks) {
    const Result r = run(options_from({{"header", "yes"}}), chunks);
    expect_bad_rows_at(r, {utf16_offset}, {4});
    EXPECT_EQ(r.summary["file"]["bytes"], utf16.size());
    return r.summary.dump();
  }, 50);
  // Windows-1252: one byte per character, two UTF-8 bytes each after transcoding.
  const std::string cp1252 = "a;b\n\xE9\xE8;\x80\nragged\n\xFC;z\n";
  testing::expect_split_invariant(cp1252, [&](const Chunks& chunks) {
    const Result r = run(options_from({{"header", "yes"}}), chunks);
    expect_bad_rows_at(r, {9}, {3});
    return r.summary.dump();
  }, 50);
}

// Many slices of transcoding and many trims of the offset map: every bad row's place is
// still the first byte of its record in the input.
TEST(Encoding, PlacesStayExactAcrossALongUtf16File) {
  std::string input = "\xFF\xFE" + utf16le(u"id,name,city\n");
  std::vector<std::uint64_t> offsets, lines;
  for (int i = 1; i <= 30000; ++i) {
    const bool bad = i % 997 == 0;
    if (bad) {
      offsets.push_back(input.size());
      lines.push_back(static_cast<std::uint64_t>(i) + 1);
    }
    const std::string id = std::to_string(i);
    std::u16string row(id.begin(), id.end());
    row += i % 3 == 0 ? u",Zo\u00EB \U0001F600" : u",Ann";
    row += bad ? u"\n" : u",K\u00F6ln \u6771\u4EAC\n";
    input += utf16le(row);
  }
  JobOptions options = options_from({{"to", "none"}, {"max_errors", -1}, {"keep_errors", 1000}});
  std::mt19937_64 rng(7);
  for (int mode : {0, 2}) {
    const Result r = run(options, testing::split(input, mode, rng, 100000));
    expect_bad_rows_at(r, offsets, lines);
    EXPECT_EQ(r.summary["rows"], 30000 - offsets.size());
  }
}

TEST(Encoding, SurrogatePairCutAtEveryByteIsOneCharacter) {
  const std::string input = "\xFF\xFE" + utf16le(u"e\n\U0001F600\n");
  for (std::size_t cut = 0; cut <= input.size(); ++cut) {
    std::string out;
    run(options_from({{"header", "yes"}}), Chunks{std::string_view(input).substr(0, cut), std::string_view(input).substr(cut)}, &out);
    EXPECT_EQ(out, "{\"e\":\"\xF0\x9F\x98\x80\"}\n") << "cut at " << cut;
  }
}

TEST(Encoding, SepLineCountsAsALineButNotARow) {
  const Result r = run(options_from({{"max_errors", -1}}), "sep=,\nh1,h2\n1,2\n3\n");
  EXPECT_EQ(r.summary["format"]["header"], true);
  EXPECT_EQ(r.summary["rows"], 1);
  expect_bad_rows_at(r, {16}, {4});
  EXPECT_EQ(r.summary["errors"]["first"][0]["row"], 2);
  // A given delimiter wins; the line is still skipped.
  const Result given = run(options_from({{"delimiter", "|"}, {"header", "yes"}}), "sep=,\na|b\n1|2\n");
  EXPECT_EQ(given.summary["format"]["delimiter"], "|");
  EXPECT_EQ(given.summary["columns"][0]["name"], "a");
  // A format that is not delimited keeps the line as input.
  const Result json = run(options_from({{"format", "ndjson"}, {"max_errors", -1}}), "sep=,\n{\"a\":1}\n");
  EXPECT_FALSE(json.summary["format"].contains("sep_line"));
  EXPECT_EQ(json.summary["bad_rows"], 1);
  // Not a sep= line: two characters after '=' is data.
  const Result data = run(options_from({{"header", "no"}}), "sep=ab\nx\n");
  EXPECT_EQ(data.summary["format"]["sep_line"], false);
  EXPECT_EQ(data.summary["rows"], 2);
}

TEST(Encoding, SepLineInUtf16AndTheStopPlaceInInputBytes) {
  // BOM 2 bytes, "sep=;\r\n" 14, "a;b\r\n" 10, "1;2\r\n" 10: the ragged row starts at 36.
  const std::string input = "\xFF\xFE" + utf16le(u"sep=;\r\na;b\r\n1;2\r\n3\r\n4;5\r\n");
  testing::expect_split_invariant(input, [&](const Chunks& chunks) {
    const Result r = run(options_from({{"max_errors", 0}}), chunks);
    EXPECT_EQ(r.state, JobState::failed);
    EXPECT_EQ(r.summary["format"]["sep_line"], true);
    EXPECT_EQ(r.summary["format"]["delimiter"], ";");
    EXPECT_EQ(r.summary["error"]["code"], "parse_error");
    EXPECT_EQ(r.summary["error"]["place"]["byte_offset"], 36);
    EXPECT_EQ(r.summary["error"]["place"]["line"], 4);
    EXPECT_EQ(r.summary["error"]["place"]["row"], 2);
    return r.summary.dump();
  }, 50);
}

TEST(Encoding, NotTextFailsAsUnsupportedWithoutParsing) {
  std::string out;
  const Result r = run(options_from({{"name", "photo.csv"}, {"to", "csv"}}),
                       Chunks{std::string_view("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)}, &out);
  EXPECT_EQ(r.state, JobState::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::unsupported);
  EXPECT_EQ(r.error->message,
            "the file looks like a PNG image, not text: FastThread reads CSV/TSV, NDJSON/JSON and access logs");
  EXPECT_FALSE(r.error->place);
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["code"], "unsupported");
  EXPECT_EQ(r.summary["rows"], 0);
  EXPECT_EQ(r.summary["bad_rows"], 0);
  EXPECT_EQ(r.summary["columns"].size(), 0u);
  EXPECT_EQ(out, "");
  // A job that failed this way takes no more input.
  StringSink sink;
  JobOptions small = options_from({{"sniff_bytes", 4}});
  Job job(small, sink);
  EXPECT_FALSE(job.feed(std::string_view("\x1F\x8B\x08\x00", 4)));
  EXPECT_FALSE(job.feed("more"));
  const Result gz = job.finish();
  EXPECT_EQ(gz.error->code, ErrorCode::unsupported);
  EXPECT_NE(gz.error->message.find("gzip-compressed and the host did not decompress it"), std::string::npos);
}

TEST(Encoding, NotTextNamesWhatTheInputLooksLike) {
  using detail::describe_not_text;
  auto says = [](std::string_view head, std::string_view what) {
    const auto m = describe_not_text(head, Encoding::utf8);
    ASSERT_TRUE(m) << what;
    EXPECT_NE(m->find(what), std::string::npos) << *m;
  };
  says("%PDF-1.7\n", "a PDF document");
  says("\xFF\xD8\xFF\xE0", "a JPEG image");
  says("GIF89a", "a GIF image");
  says("PK\x03\x04\x14\0\0\0", "a zip archive");
  says(std::string_view("(\xB5/\xFD\0\0", 6), "zstd-compressed and the host did not decompress it");
  says(std::string_view("\xFD" "7zXZ\0", 6), "xz-compressed, which FastThread does not decompress");
  says("\x7F" "ELF\x02\x01", "an ELF executable");
  says(std::string_view("a,b\n1,\0\n", 8), "binary data (a NUL byte at offset 6)");
  EXPECT_FALSE(describe_not_text("a,b\n1,2\n", Encoding::utf8));
  EXPECT_FALSE(describe_not_text("BZh9 is a fine start of a line\n", Encoding::utf8));
  EXPECT_FALSE(describe_not_text(utf16le(u"a,b\n"), Encoding::utf16le)) << "UTF-16 explains its zero bytes";
}

TEST(Encoding, DetectionFromTheHead) {
  using detail::detect_encoding;
  // A head cut inside a UTF-8 sequence is still UTF-8; the same bytes as a whole file are not.
  EXPECT_EQ(detect_encoding("caf\xC3", false, std::nullopt).encoding, Encoding::utf8);
  EXPECT_EQ(detect_encoding("\xE2\x82", false, std::nullopt).encoding, Encoding::utf8);
  EXPECT_EQ(detect_encoding("caf\xC3", true, std::nullopt).encoding, Encoding::windows1252);
  EXPECT_EQ(detect_encoding("caf\xE9!", false, std::nullopt).encoding, Encoding::windows1252);
  EXPECT_EQ(detect_encoding("abc", true, std::nullopt).reason, "ASCII only, read as UTF-8");
  EXPECT_EQ(detect_encoding("\xC3\xA9", true, std::nullopt).reason, "valid UTF-8");
  const auto le = detect_encoding(utf16le(u"id,name\n1,x\n"), false, std::nullopt);
  EXPECT_EQ(le.encoding, Encoding::utf16le);
  EXPECT_EQ(le.bom_bytes, 0u);
  EXPECT_EQ(le.reason, "zero bytes at odd offsets in 100% of the first 12 byte pairs");
  EXPECT_LT(le.confidence, 1);
  // Chinese in UTF-16 without a BOM: only the delimiters and line ends hold zero bytes.
  EXPECT_EQ(detect_encoding(utf16le(u"\u57CE\u5E02,\u4EBA\u53E3\n\u5317\u4EAC,\u4E8C\u5343\n"), true, std::nullopt).encoding,
            Encoding::utf16le);
  // Zero bytes beside control bytes are binary, not UTF-16.
  EXPECT_EQ(detect_encoding(std::string("id,n\n\0\x01\0\x02\0\x03", 11), true, std::nullopt).encoding, Encoding::utf8);
  const auto bom = detect_encoding("\xFE\xFF\0a", false, std::nullopt);
  EXPECT_EQ(bom.encoding, Encoding::utf16be);
  EXPECT_EQ(bom.reason, "byte order mark FE FF");
  EXPECT_EQ(bom.confidence, 1);
  // Given: taken as is; its own BOM is still skipped, another encoding's is not.
  EXPECT_EQ(detect_encoding("\xFF\xFEx\0", false, Encoding::utf16le).bom_bytes, 2u);
  EXPECT_EQ(detect_encoding("\xEF\xBB\xBFx", false, Encoding::latin1).bom_bytes, 0u);
  EXPECT_EQ(detect_encoding("x", false, Encoding::latin1).reason, "given");
}

std::string transcode(Encoding from, std::string_view input) {
  detail::Transcoder t(from);
  detail::OffsetMap map;
  std::string out;
  t.feed(input, out, map);
  t.finish(out, map);
  return out;
}

TEST(Encoding, Windows1252FollowsWhatwgAndLatin1IsByteForCodePoint) {
  EXPECT_EQ(transcode(Encoding::windows1252, "\x80\x9F\xE9\xFF"), "\u20AC\u0178\u00E9\u00FF");
  // The five bytes WHATWG leaves undefined are the C1 controls, as in browsers.
  EXPECT_EQ(transcode(Encoding::windows1252, "\x81\x8D\x8F\x90\x9D"), "\u0081\u008D\u008F\u0090\u009D");
  EXPECT_EQ(transcode(Encoding::latin1, "\x80\x93\xE9"), "\u0080\u0093\u00E9");
  EXPECT_EQ(transcode(Encoding::windows1252, "plain"), "plain");
}

TEST(Encoding, InvalidUtf16IsWrittenAsBytesThatAreNotUtf8) {
  EXPECT_EQ(transcode(Encoding::utf16le, std::string_view("\x3D\xD8" "a\0", 4)), "\xED\xA0\xBD" "a");
  EXPECT_EQ(transcode(Encoding::utf16be, std::string_view("\xDE\0\0a", 4)), "\xED\xB8\x80" "a");
  EXPECT_EQ(transcode(Encoding::utf16le, std::string_view("a\0b", 3)), "a\xFF");
  EXPECT_EQ(transcode(Encoding::utf16le, std::string_view("\x3D\xD8\x00\xDE", 4)), "\U0001F600");
}

TEST(Encoding, OffsetMapGivesEachCharactersFirstInputByte) {
  detail::Transcoder t(Encoding::utf16le);
  detail::OffsetMap map;
  map.add(2, 0);  // a BOM
  std::string out;
  t.feed(utf16le(u"a\u00E9\u20AC\U0001F600b"), out, map);
  ASSERT_EQ(out, "a\u00E9\u20AC\U0001F600b");
  // Output offsets of a, é, €, 😀, b and input offsets (after the 2-byte BOM).
  EXPECT_EQ(map.peek(2), 4u) << "inside é: its first byte";
  const std::uint64_t expected[][2] = {{0, 2}, {1, 4}, {3, 6}, {6, 8}, {10, 12}, {11, 14}};
  for (const auto& [utf8, input] : expected) EXPECT_EQ(map.input_offset(utf8), input) << utf8;
}

TEST(Encoding, OptionIsReadCheckedAndEchoed) {
  std::string error;
  auto o = JobOptions::from_json({{"encoding", "UTF-16LE"}}, error);
  ASSERT_TRUE(o) << error;
  EXPECT_EQ(o->encoding, Encoding::utf16le);
  EXPECT_EQ(o->to_json()["encoding"], "utf-16le");
  EXPECT_EQ(JobOptions{}.to_json()["encoding"], "auto");
  EXPECT_FALSE(JobOptions::from_json({{"encoding", "ebcdic"}}, error));
  EXPECT_EQ(error, "option 'encoding' must be auto, utf-8, utf-16le, utf-16be, windows-1252 or latin-1, not 'ebcdic'");
  // Forced UTF-8 reads Windows-1252 bytes as invalid UTF-8 (bad rows), as before.
  const Result r = run(options_from({{"encoding", "utf-8"}, {"header", "yes"}}), "a\nJos\xE9\n");
  EXPECT_EQ(r.summary["format"]["encoding_reason"], "given");
  EXPECT_EQ(r.summary["options"]["encoding"], "utf-8");
  EXPECT_EQ(r.summary["errors"]["first"][0]["code"], "invalid_utf8");
}

TEST(Encoding, PlainUtf8IsUntouched) {
  const Result r = run(options_from({{"header", "yes"}}), "\xEF\xBB\xBFname\nJos\xC3\xA9\n");
  EXPECT_EQ(r.summary["format"]["encoding"], "utf-8");
  EXPECT_EQ(r.summary["format"]["encoding_reason"], "byte order mark EF BB BF");
  EXPECT_EQ(r.summary["format"]["bom"], true);
  EXPECT_EQ(r.summary["columns"][0]["name"], "name");
  EXPECT_EQ(r.summary["rows"], 1);
}

}  // namespace
}  // namespace fastthread
