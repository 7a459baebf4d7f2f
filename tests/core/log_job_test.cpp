// Access logs through the Job API: the "-" nulls, the log_format option and the W3C
// variant as the summary and the outputs show them.
#include <gtest/gtest.h>

#include "job_harness.hpp"

#include <string>

#include "fastthread/job.hpp"
#include "split_harness.hpp"

namespace fastthread {
namespace {

std::string run_job(const JobOptions& options, const std::vector<std::string_view>& chunks, Result* out = nullptr) {
  StringSink sink;
  Job job(options, sink);
  for (auto chunk : chunks) {
    if (!job.feed(chunk)) break;
  }
  Result result = job.finish();
  result.summary.erase("timings");
  const std::string text = sink.out + "\n---\n" + result.summary.dump(1);
  if (out) *out = std::move(result);
  return text;
}

Result run_once(const JobOptions& options, std::string_view input, std::string& output) {
  Result result;
  output = run_job(options, {input}, &result);
  output = output.substr(0, output.find("\n---\n"));
  return result;
}

const nlohmann::ordered_json& column(const Result& result, std::string_view name) {
  for (const auto& c : result.summary["columns"]) {
    if (c["name"] == name) return c;
  }
  static const nlohmann::ordered_json none;
  ADD_FAILURE() << "no column " << name;
  return none;
}

const char* kCombined =
    "10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] \"HEAD / HTTP/1.1\" 304 - \"-\" \"-\"\n"
    "10.0.0.2 - bob [01/Jan/2024:00:00:02 +0000] \"GET / HTTP/1.1\" 200 12 \"http://r/\" \"ua\"\n";

TEST(LogJob, DashesAreNullsInTheProfileAndEveryOutputWhateverTheNullTokens) {
  for (const nlohmann::json& nulls : {nlohmann::json::array(), nlohmann::json::array({"-", "x"})}) {
    for (const char* types : {"infer", "none"}) {
      SCOPED_TRACE(nulls.dump() + " " + types);
      std::string out;
      Result r = run_once(options_from({{"nulls", nulls}, {"types", types}}), kCombined, out);
      EXPECT_EQ(r.summary["format"]["variant"], "combined");
      for (const char* name : {"ident", "user", "bytes", "referer", "user_agent"}) {
        const auto& c = column(r, name);
        EXPECT_GE(c["nulls"].get<int>(), 1) << name;
        EXPECT_EQ(c["nulls"], c["count"].get<int>() - (std::string_view(name) == "ident" ? 0 : 1)) << name;
      }
      EXPECT_EQ(column(r, "ident")["type"], "null");
      EXPECT_EQ(out.substr(0, out.find('\n')),
                std::string("{\"ip\":\"10.0.0.1\",\"ident\":null,\"user\":null,\"time\":\"2024-01-01T00:00:01+00:00\"") +
                    ",\"method\":\"HEAD\",\"path\":\"/\",\"protocol\":\"HTTP/1.1\",\"status\":" +
                    (std::string_view(types) == "infer" ? "304" : "\"304\"") +
                    ",\"bytes\":null,\"referer\":null,\"user_agent\":null}");
    }
  }
  std::string csv;
  run_once(options_from({{"to", "csv"}, {"nulls", nlohmann::json::array()}}), kCombined, csv);
  EXPECT_EQ(csv,
            "ip,ident,user,time,method,path,protocol,status,bytes,referer,user_agent\n"
            "10.0.0.1,,,2024-01-01T00:00:01+00:00,HEAD,/,HTTP/1.1,304,,,\n"
            "10.0.0.2,,bob,2024-01-01T00:00:02+00:00,GET,/,HTTP/1.1,200,12,http://r/,ua\n");
}

TEST(LogJob, ALogFormatStringGivesNamedTypedColumnsAndIsInTheSummary) {
  const std::string format = "$remote_addr - $remote_user [$time_local] \"$request\" $status $request_time";
  const std::string input =
      "10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] \"GET /a HTTP/1.1\" 200 0.004\n"
      "10.0.0.2 - bob [01/Jan/2024:00:00:02 +0000] \"GET /b HTTP/1.1\" 404 1.250\n"
      "not a line\n";
  const JobOptions options = options_from({{"log_format", format}, {"name", "access.txt"}});
  EXPECT_EQ(options.format, Format::log);
  const std::string whole = testing::expect_split_invariant(
      input, [&](const std::vector<std::string_view>& chunks) { return run_job(options, chunks); }, 50);
  std::string out;
  const Result r = run_once(options, input, out);
  const auto& f = r.summary["format"];
  EXPECT_EQ(f["name"], "log");
  EXPECT_EQ(f["variant"], "custom");
  EXPECT_EQ(f["log_format"], format);
  EXPECT_EQ(f["confidence"], 1.0);
  EXPECT_EQ(r.summary["options"]["log_format"], format);
  EXPECT_EQ(r.summary["options"]["format"], "log");
  EXPECT_EQ(column(r, "status")["type"], "int64");
  EXPECT_EQ(column(r, "request_time")["type"], "float64");
  EXPECT_EQ(column(r, "time")["type"], "datetime");
  EXPECT_EQ(r.summary["rows"], 2);
  EXPECT_EQ(r.summary["errors"]["first"][0]["message"], "expected ' - ' before the user at column 5");
  EXPECT_EQ(out.substr(0, out.find('\n')),
            "{\"ip\":\"10.0.0.1\",\"user\":null,\"time\":\"2024-01-01T00:00:01+00:00\",\"method\":\"GET\","
            "\"path\":\"/a\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"request_time\":0.004}");
  // The string survives the options' round trip.
  std::string error;
  auto again = JobOptions::from_json(nlohmann::json::parse(options.to_json().dump()), error);
  ASSERT_TRUE(again) << error;
  EXPECT_EQ(again->log_format, format);
}

TEST(LogJob, TheLogFormatOptionIsCheckedWhereItIsRead) {
  std::string error;
  EXPECT_FALSE(JobOptions::from_json({{"log_format", "%h %"}}, error));
  EXPECT_EQ(error, "option 'log_format' is not a log format: '%' at character 4 is not followed by a directive letter");
  EXPECT_FALSE(JobOptions::from_json({{"log_format", "%h"}, {"format", "csv"}}, error));
  EXPECT_EQ(error, "option 'log_format' needs format log or auto, not 'csv'");
  EXPECT_FALSE(JobOptions::from_json({{"log_format", 3}}, error));
  EXPECT_EQ(error, "option 'log_format' has the wrong type (number)");
  EXPECT_TRUE(JobOptions::from_json({{"log_format", "%h"}, {"format", "log"}}, error)) << error;
  // Without the option the echo has no such key.
  EXPECT_FALSE(JobOptions{}.to_json().contains("log_format"));
  // A caller that builds JobOptions itself learns of a bad string from the job.
  JobOptions bad;
  bad.log_format = "$";
  std::string out;
  const Result r = run_once(bad, "x\n", out);
  EXPECT_EQ(r.state, JobState::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "option 'log_format' is not a log format: '$' at character 1 is not followed by a variable name");
  EXPECT_EQ(r.summary["rows"], 0);
}

// A message may quote the input (here the format's literal). Only the offsets the parser
// names are mapped to input bytes for transcoded input, so a quoted "at byte 5" stays as
// written, the same in one chunk and in many (a finding of the log_job fuzzer).
TEST(LogJob, AMessageQuotingAtByteKeepsItsDigitsInTranscodedInput) {
  const JobOptions options =
      options_from({{"format", "log"}, {"log_format", "%h at byte 5 %s"}, {"encoding", "windows-1252"}});
  const std::string input = "\xE9\xE9 x\n10.0.0.1 at byte 5 200\n";
  std::string out;
  const Result r = run_once(options, input, out);
  EXPECT_EQ(r.summary["rows"], 1);
  ASSERT_EQ(r.summary["errors"]["first"].size(), 1u);
  const std::string message = r.summary["errors"]["first"][0]["message"];
  EXPECT_NE(message.find("' at byte 5 '"), std::string::npos) << message;
  testing::expect_split_invariant(
      input, [&](const std::vector<std::string_view>& chunks) { return run_job(options, chunks); }, 50);
}

TEST(LogJob, W3cLogsAreSniffedAndTyped) {
  const std::string input =
      "#Software: Microsoft Internet Information Services 10.0\r\n"
      "#Fields: date time c-ip cs-method cs-uri-stem sc-status time-taken\r\n"
      "2024-01-01 00:00:01 10.0.0.1 GET /a 200 15\r\n"
      "2024-01-01 00:00:02 10.0.0.2 GET - 404 2\r\n";
  std::string out;
  const Result r = run_once(options_from({{"name", "u_ex240101.log"}}), input, out);
  EXPECT_EQ(r.summary["format"]["name"], "log");
  EXPECT_EQ(r.summary["format"]["variant"], "w3c");
  EXPECT_EQ(r.summary["rows"], 2);
  EXPECT_EQ(column(r, "date")["type"], "date");
  EXPECT_EQ(column(r, "sc-status")["type"], "int64");
  EXPECT_EQ(column(r, "cs-uri-stem")["nulls"], 1);
  EXPECT_EQ(out,
            "{\"date\":\"2024-01-01\",\"time\":\"00:00:01\",\"c-ip\":\"10.0.0.1\",\"cs-method\":\"GET\","
            "\"cs-uri-stem\":\"/a\",\"sc-status\":200,\"time-taken\":15}\n"
            "{\"date\":\"2024-01-01\",\"time\":\"00:00:02\",\"c-ip\":\"10.0.0.2\",\"cs-method\":\"GET\","
            "\"cs-uri-stem\":null,\"sc-status\":404,\"time-taken\":2}\n");
}

}  // namespace
}  // namespace fastthread
