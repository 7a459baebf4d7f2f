// The whole pipeline through the Job API: given this input and these options, this
// summary and this output come back, whatever the chunking.
#include "fastthread/job.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "split_harness.hpp"

namespace fastthread {
namespace {

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override {
    out.append(bytes);
    ++pieces;
  }
  std::string out;
  int pieces = 0;
};

JobOptions options_from(const nlohmann::json& json) {
  std::string error;
  auto options = JobOptions::from_json(json, error);
  EXPECT_TRUE(options) << error;
  return options.value_or(JobOptions{});
}

// Runs a job over `chunks` and returns its output followed by its summary (timings aside).
std::string run_job(const JobOptions& options, const std::vector<std::string_view>& chunks) {
  StringSink sink;
  Job job(options, sink);
  for (auto chunk : chunks) {
    if (!job.feed(chunk)) break;
  }
  Result result = job.finish();
  result.summary.erase("timings");
  return sink.out + "\n---\n" + result.summary.dump(1);
}

Result run_once(const JobOptions& options, std::string_view input, StringSink& sink) {
  Job job(options, sink);
  job.feed(input);
  return job.finish();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Job, CsvToNdjsonWithInferredTypes) {
  StringSink sink;
  auto result = run_once(options_from({{"name", "people.csv"}}),
                         "id,name,score,member,joined\n1,Ann,9.5,true,2024-01-02\n2,\"Bo, Jr.\",,false,2024-02-03\n",
                         sink);
  EXPECT_EQ(result.state, JobState::done);
  EXPECT_EQ(sink.out,
            "{\"id\":1,\"name\":\"Ann\",\"score\":9.5,\"member\":true,\"joined\":\"2024-01-02\"}\n"
            "{\"id\":2,\"name\":\"Bo, Jr.\",\"score\":null,\"member\":false,\"joined\":\"2024-02-03\"}\n");
  const auto& s = result.summary;
  EXPECT_EQ(s["format"]["name"], "csv");
  EXPECT_EQ(s["format"]["delimiter"], ",");
  EXPECT_EQ(s["format"]["header"], true);
  EXPECT_EQ(s["rows"], 2);
  ASSERT_EQ(s["columns"].size(), 5u);
  EXPECT_EQ(s["columns"][0]["name"], "id");
  EXPECT_EQ(s["columns"][0]["type"], "int64");
  EXPECT_EQ(s["columns"][2]["type"], "float64");
  EXPECT_EQ(s["columns"][2]["nulls"], 1);
  EXPECT_EQ(s["columns"][3]["type"], "bool");
  EXPECT_EQ(s["columns"][4]["type"], "date");
  EXPECT_EQ(s["output"]["rows"], 2);
  EXPECT_EQ(s["output"]["bytes"], sink.out.size());
}

TEST(Job, TypesOffKeepsEveryValueAsItsText) {
  StringSink sink;
  auto result = run_once(options_from({{"types", "none"}, {"header", "yes"}}), "a,b\n007,\n", sink);
  EXPECT_EQ(result.state, JobState::done);
  EXPECT_EQ(sink.out, "{\"a\":\"007\",\"b\":\"\"}\n");
}

TEST(Job, JsonToCsvReportsColumnsTheHeaderCouldNotTake) {
  auto options = options_from({{"format", "ndjson"}, {"to", "csv"}, {"infer_rows", 1}});
  StringSink sink;
  auto result = run_once(options, "{\"a\":1,\"u\":{\"n\":\"x\"}}\n{\"a\":2,\"late\":true}\n", sink);
  EXPECT_EQ(sink.out, "a,u.n\n1,x\n2,\n");
  ASSERT_TRUE(result.summary["output"].contains("dropped_columns"));
  EXPECT_EQ(result.summary["output"]["dropped_columns"][0]["name"], "late");
  EXPECT_EQ(result.summary["output"]["dropped_columns"][0]["first_row"], 2);
}

TEST(Job, JsonOutputTakesColumnsThatAppearLate) {
  auto options = options_from({{"format", "ndjson"}, {"to", "ndjson"}, {"infer_rows", 1}});
  StringSink sink;
  run_once(options, "{\"a\":1}\n{\"a\":2,\"late\":[1,2]}\n", sink);
  EXPECT_EQ(sink.out, "{\"a\":1}\n{\"a\":2,\"late\":[1,2]}\n");
}

TEST(Job, StopsAtTheFirstBadRowWhenMaxErrorsIsZero) {
  StringSink sink;
  auto result = run_once(options_from({{"max_errors", 0}, {"header", "yes"}}), "a,b\n1,2\n3\n4,5\n", sink);
  EXPECT_EQ(result.state, JobState::failed);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->code, ErrorCode::parse_error);
  ASSERT_TRUE(result.error->place);
  EXPECT_EQ(result.error->place->row, 2u);
  EXPECT_EQ(result.error->place->line, 3u);
  EXPECT_EQ(result.error->place->byte_offset, 8u);
  EXPECT_EQ(result.summary["status"], "failed");
  EXPECT_EQ(result.summary["errors"]["first"][0]["code"], "ragged_row");
}

TEST(Job, ToleratesBadRowsUpToMaxErrors) {
  StringSink sink;
  auto result = run_once(options_from({{"max_errors", 2}, {"header", "yes"}}), "a,b\n1,2\n3\n4,5,6\n7,8\n", sink);
  EXPECT_EQ(result.state, JobState::done);
  EXPECT_EQ(result.summary["rows"], 2);
  EXPECT_EQ(result.summary["bad_rows"], 2);
  EXPECT_EQ(result.summary["errors"]["first"].size(), 2u);
}

TEST(Job, CancelStopsAtTheNextChunkAndAcrossRowsInsideOne) {
  std::string big = "n\n";
  for (int i = 0; i < 100000; ++i) big += std::to_string(i) + "\n";
  StringSink sink;
  auto options = options_from({{"to", "none"}});
  options.cancel_check_rows = 1000;
  Job job(options, sink);
  ASSERT_TRUE(job.feed(std::string_view(big).substr(0, 100)));
  job.cancel();
  EXPECT_FALSE(job.feed(std::string_view(big).substr(100)));
  Result result = job.finish();
  EXPECT_EQ(result.state, JobState::cancelled);
  EXPECT_EQ(result.summary["status"], "cancelled");
  EXPECT_LT(result.summary["rows"].get<std::uint64_t>(), 100000u);
}

TEST(Job, CancelInsideOneBigChunkStopsWithinCheckRows) {
  std::string big = "n\n";
  for (int i = 0; i < 200000; ++i) big += std::to_string(i) + "\n";
  // The sink cancels the job on the first piece of output, in the middle of the one chunk.
  struct CancellingSink final : OutputSink {
    Job* job = nullptr;
    void write(std::string_view) override { job->cancel(); }
  } sink;
  auto options = options_from({{"to", "ndjson"}, {"infer_rows", 10}});
  options.cancel_check_rows = 1000;
  Job job(options, sink);
  sink.job = &job;
  EXPECT_FALSE(job.feed(big));
  Result result = job.finish();
  EXPECT_EQ(result.state, JobState::cancelled);
  EXPECT_LT(job.progress().rows, 200000u);
}

TEST(Job, ProgressCountsBytesRowsAndErrors) {
  StringSink sink;
  Job job(options_from({{"header", "yes"}, {"sniff_bytes", 1}}), sink);
  job.feed("a,b\n1,2\n3\n");
  Progress p = job.progress();
  EXPECT_EQ(p.bytes, 10u);
  EXPECT_EQ(p.rows, 1u);
  EXPECT_EQ(p.errors, 1u);
}

TEST(Job, EmptyInputIsAnEmptyResultNotAnError) {
  StringSink sink;
  auto result = run_once(options_from({{"to", "json"}}), "", sink);
  EXPECT_EQ(result.state, JobState::done);
  EXPECT_EQ(sink.out, "[]\n");
  EXPECT_EQ(result.summary["rows"], 0);
}

TEST(JobOptions, RejectsUnknownKeysAndBadValuesByName) {
  std::string error;
  EXPECT_FALSE(JobOptions::from_json({{"colour", "red"}}, error));
  EXPECT_EQ(error, "unknown option 'colour'");
  EXPECT_FALSE(JobOptions::from_json({{"to", "xml"}}, error));
  EXPECT_EQ(error, "option 'to' must be ndjson, json, csv or none, not 'xml'");
  EXPECT_FALSE(JobOptions::from_json({{"max_errors", "many"}}, error));
  EXPECT_EQ(error, "option 'max_errors' has the wrong type (string)");
  EXPECT_FALSE(JobOptions::from_json({{"keep_errors", -3}}, error));
  EXPECT_EQ(error, "option 'keep_errors' is out of range (-3)");
  EXPECT_FALSE(JobOptions::from_json({{"sniff_bytes", 1ull << 40}}, error));
  EXPECT_EQ(error, "option 'sniff_bytes' is too large (1099511627776)");
  EXPECT_FALSE(JobOptions::from_json({{"infer_rows", 5'000'000'000LL}}, error));
  EXPECT_EQ(error, "option 'infer_rows' is too large (5000000000)");
  auto small = JobOptions::from_json({{"infer_rows", 2}, {"keep_errors", 0}}, error);
  ASSERT_TRUE(small) << error;
  EXPECT_EQ(small->infer_rows, 2u);
  EXPECT_EQ(small->keep_errors, 0u);
  EXPECT_FALSE(JobOptions::from_json({{"name", 7}}, error));
  EXPECT_EQ(error, "option 'name' has the wrong type (number)");
  EXPECT_FALSE(JobOptions::from_json({{"delimiter", ",,"}}, error));
  EXPECT_FALSE(JobOptions::from_json({{"limits", {{"max_columns", 0}}}}, error));
  EXPECT_EQ(error, "option 'limits.max_columns' must be a positive integer");
  EXPECT_FALSE(JobOptions::from_json(nlohmann::json::array(), error));
}

// A host may build options from bytes nobody checked (a query string). Strings that are not
// UTF-8 would make the summary and the error messages invalid JSON, so they are refused,
// and not repeated.
TEST(JobOptions, OptionStringsMustBeUtf8) {
  std::string error;
  EXPECT_FALSE(JobOptions::from_json({{"name", "caf\xE9.csv"}}, error));
  EXPECT_EQ(error, "option 'name' is not UTF-8 text");
  EXPECT_FALSE(JobOptions::from_json({{"format", "\xFF"}}, error));
  EXPECT_EQ(error, "option 'format' is not UTF-8 text");
  EXPECT_FALSE(JobOptions::from_json({{"nulls", nlohmann::json::array({"NA", "\xC0\xAF"})}}, error));
  EXPECT_EQ(error, "option 'nulls' is not UTF-8 text");
  EXPECT_FALSE(JobOptions::from_json({{"log_format", "%h \xB2"}}, error));
  EXPECT_EQ(error, "option 'log_format' is not UTF-8 text");
  EXPECT_FALSE(JobOptions::from_json({{"\xFF", 1}}, error));
  EXPECT_EQ(error, "an option's name is not UTF-8 text");
  const auto options = JobOptions::from_json({{"name", "caf\xC3\xA9.csv"}}, error);
  ASSERT_TRUE(options) << error;
  EXPECT_EQ(options->file_name, "caf\xC3\xA9.csv");
}

TEST(JobOptions, RoundTripsThroughJson) {
  std::string error;
  auto options = JobOptions::from_json({{"format", "tsv"}, {"to", "csv"}, {"nulls", {"", "-"}}, {"max_errors", -1}}, error);
  ASSERT_TRUE(options) << error;
  auto again = JobOptions::from_json(nlohmann::json::parse(options->to_json().dump()), error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->to_json(), options->to_json());
}

// Every test file, every output format: random chunkings give byte-identical results.
TEST(Job, EveryTestFileIsSplitInvariantInEveryOutputFormat) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(FASTTHREAD_TEST_DATA)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".expected") continue;
    const std::string input = read_file(entry.path());
    for (const char* to : {"ndjson", "json", "csv", "none"}) {
      SCOPED_TRACE(entry.path().string() + " --to " + to);
      auto options = options_from({{"name", entry.path().filename().string()}, {"to", to}, {"max_errors", -1}});
      testing::expect_split_invariant(
          input, [&](const std::vector<std::string_view>& chunks) { return run_job(options, chunks); }, 20);
    }
    ++files;
  }
  EXPECT_GT(files, 10);
}

// The deepest nesting a client may ask for (options cap max_json_depth at 100000) is read
// without recursion, in any chunking: a line that deep is a row, one level deeper is a
// too_deep bad row at the bracket that opens the extra level.
TEST(Job, TheDeepestNestingAClientMayAskForIsReadInAnyChunking) {
  const std::string ok = "{\"a\":" + std::string(99'999, '[') + std::string(99'999, ']') + "}\n";
  const std::string deep = "{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}\n";
  auto options = options_from({{"name", "deep.ndjson"}, {"to", "ndjson"}, {"limits", {{"max_json_depth", 5'000'000}}}});
  ASSERT_EQ(options.limits.max_json_depth, 100'000u);
  const std::string input = ok + deep;
  StringSink sink;
  const Result result = run_once(options, input, sink);
  EXPECT_EQ(result.state, JobState::done);
  EXPECT_EQ(sink.out, ok);
  EXPECT_EQ(result.summary["rows"], 1);
  EXPECT_EQ(result.summary["bad_rows"], 1);
  const auto& error = result.summary["errors"]["first"][0];
  EXPECT_EQ(error["code"], "too_deep");
  EXPECT_EQ(error["message"],
            "expected at most 100000 levels of nesting (max_json_depth), found '[' opening level 100001");
  EXPECT_EQ(error["row"], 2);
  EXPECT_EQ(error["line"], 2);
  EXPECT_EQ(error["byte_offset"], ok.size() + 5 + 99'999);
  testing::expect_split_invariant(
      input, [&](const std::vector<std::string_view>& chunks) { return run_job(options, chunks); }, 3);
}

// The sniffer samples exactly sniff_bytes, however far past them the chunk that reached
// them goes (the test files are shorter than the default 64 KiB: here it is 300 bytes).
TEST(Job, TheSniffSampleIsTheFirstSniffBytesWhateverTheChunking) {
  std::string csv = "id,word,n\n";
  for (int i = 0; i < 200; ++i) csv += std::to_string(i) + ",w" + std::to_string(i * 31 % 97) + "," + std::to_string(i % 7) + "\n";
  auto options = options_from({{"name", "t.csv"}, {"to", "none"}, {"sniff_bytes", 300}});
  const std::string whole = testing::expect_split_invariant(
      csv, [&](const std::vector<std::string_view>& chunks) { return run_job(options, chunks); }, 50);
  EXPECT_NE(whole.find("sampled records"), std::string::npos) << whole;
  EXPECT_EQ(run_job(options, {std::string_view(csv).substr(0, 300), std::string_view(csv).substr(300)}), whole);
}

}  // namespace
}  // namespace fastthread
