// `fastthread parse` as a person runs it: the real binary, real files, real exit codes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "process.hpp"

namespace fastthread::testing {
namespace {

const char* kCsv = "id,name,price\n1,apple,0.5\n2,\"pear, green\",1.25\n3,plum,\n";

TEST(ParseCommand, HelpNamesEveryOptionAndTheExitCodes) {
  auto r = run_fastthread({"parse", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"--to", "--format", "--delimiter", "--types", "--max-errors", "--summary", "Exit codes",
                           "130"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

TEST(ParseCommand, UsageErrorsExitTwoWithAReason) {
  auto r = run_fastthread({"parse", "x.csv", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option '--bogus'"), std::string::npos);
  r = run_fastthread({"parse", "x.csv", "--to", "xml"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("option 'to' must be"), std::string::npos);
  r = run_fastthread({"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
}

TEST(ParseCommand, MissingFileExitsThree) {
  auto r = run_fastthread({"parse", "/nonexistent/file.csv"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot open /nonexistent/file.csv"), std::string::npos);
}

TEST(ParseCommand, CsvToNdjsonOnStdoutAndTheSummaryToAFile) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", dir.path("fruit.csv"), "--summary", dir.path("s.json")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"id\":1,\"name\":\"apple\",\"price\":0.5}\n"
            "{\"id\":2,\"name\":\"pear, green\",\"price\":1.25}\n"
            "{\"id\":3,\"name\":\"plum\",\"price\":null}\n");
  auto summary = nlohmann::json::parse(dir.read("s.json"));
  EXPECT_EQ(summary["rows"], 3);
  EXPECT_EQ(summary["columns"][2]["type"], "float64");
  EXPECT_NE(r.err.find("3 rows, 3 columns"), std::string::npos) << r.err;
}

TEST(ParseCommand, ProfileOnlyPrintsTheSummaryOnStdout) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["status"], "done");
  EXPECT_EQ(summary["output"]["format"], "none");
  EXPECT_TRUE(r.err.empty());
}

TEST(ParseCommand, ReadsStandardInput) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", "-", "--to", "csv", "--name", "fruit.csv"}, dir.path("fruit.csv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "id,name,price\n1,apple,0.5\n2,\"pear, green\",1.25\n3,plum,\n");
}

TEST(ParseCommand, EveryChunkSizeGivesTheSameBytes) {
  TempDir dir;
  std::string csv = "a,b,c\n";
  for (int i = 0; i < 2000; ++i) csv += std::to_string(i) + ",\"x\"\"" + std::to_string(i * 7) + "\r\ny\",é" + std::to_string(i % 13) + "\r\n";
  dir.write("in.csv", csv);
  auto whole = run_fastthread({"parse", dir.path("in.csv"), "--summary", dir.path("s1.json")});
  auto bytes = run_fastthread({"parse", dir.path("in.csv"), "--chunk-size", "1", "--summary", dir.path("s2.json")});
  ASSERT_EQ(whole.exit_code, 0);
  EXPECT_EQ(whole.out, bytes.out);
  auto s1 = nlohmann::json::parse(dir.read("s1.json"));
  auto s2 = nlohmann::json::parse(dir.read("s2.json"));
  s1.erase("timings");
  s2.erase("timings");
  EXPECT_EQ(s1, s2);
}

TEST(ParseCommand, TooManyBadRowsExitsOneAndNamesTheRow) {
  TempDir dir;
  dir.write("bad.csv", "a,b\n1,2\n3\n");
  auto r = run_fastthread({"parse", dir.path("bad.csv"), "--max-errors", "0", "--to", "none"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("row 2"), std::string::npos) << r.err;
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["status"], "failed");
  EXPECT_EQ(summary["error"]["place"]["line"], 3);
}

TEST(ParseCommand, EncodingIsDetectedOrGivenAndTheRowsAreUtf8) {
  TempDir dir;
  dir.write("excel.csv", "sep=;\r\nName;Price\r\nJos\xE9;1,50\r\n\x80;2\r\n");
  auto detected = run_fastthread({"parse", dir.path("excel.csv"), "--summary", dir.path("s.json"), "-q"});
  ASSERT_EQ(detected.exit_code, 0) << detected.err;
  EXPECT_EQ(detected.out, "{\"Name\":\"Jos\xC3\xA9\",\"Price\":\"1,50\"}\n{\"Name\":\"\xE2\x82\xAC\",\"Price\":\"2\"}\n");
  auto summary = nlohmann::json::parse(dir.read("s.json"));
  EXPECT_EQ(summary["format"]["encoding"], "windows-1252");
  EXPECT_EQ(summary["format"]["sep_line"], true);
  EXPECT_EQ(summary["options"]["encoding"], "auto");
  // Given as latin-1, 0x80 is the C1 control U+0080 rather than the euro sign.
  auto given = run_fastthread(
      {"parse", dir.path("excel.csv"), "--encoding", "latin-1", "--summary", dir.path("s.json"), "-q"});
  ASSERT_EQ(given.exit_code, 0) << given.err;
  EXPECT_NE(given.out.find("\"Name\":\"\xC2\x80\""), std::string::npos) << given.out;
  summary = nlohmann::json::parse(dir.read("s.json"));
  EXPECT_EQ(summary["format"]["encoding"], "latin-1");
  EXPECT_EQ(summary["format"]["encoding_reason"], "given");
  EXPECT_EQ(summary["options"]["encoding"], "latin-1");
  auto bad = run_fastthread({"parse", dir.path("excel.csv"), "--encoding", "klingon"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("option 'encoding' must be auto, utf-8"), std::string::npos) << bad.err;
  auto help = run_fastthread({"parse", "--help"});
  EXPECT_NE(help.out.find("--encoding"), std::string::npos);
}

TEST(ParseCommand, NotTextExitsOneAndSaysWhatItLooksLike) {
  TempDir dir;
  dir.write("photo.csv", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  auto r = run_fastthread({"parse", dir.path("photo.csv"), "--to", "none"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("looks like a PNG image, not text"), std::string::npos) << r.err;
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["status"], "failed");
  EXPECT_EQ(summary["error"]["code"], "unsupported");
  EXPECT_EQ(summary["rows"], 0);
}

TEST(ParseCommand, ProgressBarOnlyWhenAskedOrOnATerminal) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto quiet = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "-q"});
  EXPECT_EQ(quiet.err.find('\r'), std::string::npos);
  auto shown = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "-q", "--progress"});
  EXPECT_NE(shown.err.find("rows"), std::string::npos);
  EXPECT_NE(shown.err.find('\r'), std::string::npos);
}

TEST(ParseCommand, CtrlCCancelsAndExits130WithACancelledSummary) {
  TempDir dir;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(fds[0], 0);
    ::close(fds[1]);
    std::string summary = dir.path("s.json");
    ::execl(FASTTHREAD_BINARY, FASTTHREAD_BINARY, "parse", "-", "--to", "none", "--summary", summary.c_str(), "-q",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  std::string rows = "n\n";
  for (int i = 0; i < 1000; ++i) rows += std::to_string(i) + "\n";
  ASSERT_EQ(::write(fds[1], rows.data(), rows.size()), static_cast<ssize_t>(rows.size()));
  // The program now waits for more input on the open pipe; Ctrl-C must still end it.
  ::usleep(300 * 1000);
  ::kill(pid, SIGINT);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[1]);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  auto summary = nlohmann::json::parse(dir.read("s.json"));
  EXPECT_EQ(summary["status"], "cancelled");
}

}  // namespace
}  // namespace fastthread::testing
