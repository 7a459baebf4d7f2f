// `fastthread parse` as a person runs it: the real binary, real files, real exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <sstream>

#include <nlohmann/json.hpp>

#include "fastthread/pretty_json.hpp"
#include "process.hpp"

namespace fastthread::testing {
namespace {

const char* kCsv = "id,name,price\n1,apple,0.5\n2,\"pear, green\",1.25\n3,plum,\n";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Runs the binary with its standard output on a pseudo-terminal `columns` wide (standard
// error on a pipe, standard input /dev/null, no COLUMNS in its environment), as a person
// at a terminal runs it.
ProcessResult run_on_terminal(const std::vector<std::string>& args, unsigned short columns) {
  std::vector<std::string> argv_storage = {FASTTHREAD_BINARY};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::string path = "PATH=/usr/bin:/bin";
  char* envp[] = {path.data(), nullptr};
  int err[2];
  if (::pipe(err) != 0) return {};
  struct winsize size{};
  size.ws_col = columns;
  size.ws_row = 40;
  int terminal = -1;
  const pid_t pid = ::forkpty(&terminal, nullptr, nullptr, &size);
  if (pid == 0) {
    ::dup2(err[1], STDERR_FILENO);
    const int null = ::open("/dev/null", O_RDONLY);
    ::dup2(null, STDIN_FILENO);
    ::execve(argv[0], argv.data(), envp);
    ::_exit(127);
  }
  ::close(err[1]);
  ProcessResult r;
  if (pid < 0) return r;
  char buffer[4096];
  // Linux answers EIO once the child has closed the terminal's other side.
  for (ssize_t n; (n = ::read(terminal, buffer, sizeof buffer)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    r.out.append(buffer, static_cast<std::size_t>(n));
  }
  for (ssize_t n; (n = ::read(err[0], buffer, sizeof buffer)) > 0;) r.err.append(buffer, static_cast<std::size_t>(n));
  ::close(err[0]);
  ::close(terminal);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // The terminal writes a newline as CR LF.
  std::erase(r.out, '\r');
  return r;
}

TEST(ParseCommand, HelpNamesEveryOptionAndTheExitCodes) {
  auto r = run_fastthread({"parse", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* word : {"--to", "--format", "--log-format", "--delimiter", "--types", "--max-errors", "--summary",
                           "--report", "Exit codes",
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

TEST(ParseCommand, ProfileOnlyOnATerminalPrintsTheReportInsteadOfTheJson) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_on_terminal({"parse", dir.path("fruit.csv"), "--to", "none", "--name", "fruit.csv"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 6u) << r.out;
  EXPECT_EQ(lines[0], "fruit.csv: csv (delimiter ',', header), 55 B, 3 rows, 0 bad rows");
  EXPECT_EQ(lines[2].rfind("column  type     nulls  distinct  min", 0), 0u) << r.out;
  EXPECT_NE(lines[2].find("mean"), std::string::npos) << "120 columns leave room for every statistic:\n" << r.out;
  EXPECT_EQ(lines[3].rfind("id      int64", 0), 0u) << r.out;
  EXPECT_EQ(lines[4].rfind("name    string       0         3  apple  plum", 0), 0u) << r.out;
  EXPECT_EQ(lines[5].rfind("price   float64      1         2  0.5", 0), 0u) << r.out;
  EXPECT_EQ(r.out.find("\u2248"), std::string::npos) << "three rows: every statistic is exact\n" << r.out;
  for (const auto& line : lines) EXPECT_LE(line.size(), 120u + 8u) << line;  // bytes: '≈' is three
  EXPECT_TRUE(r.err.empty()) << "the report's header says what the one-line report would: " << r.err;
  // The terminal's own width, not the default of 100: too narrow for the table.
  auto narrow = run_on_terminal({"parse", dir.path("fruit.csv"), "--to", "none"}, 50);
  EXPECT_EQ(narrow.out.find("column  type"), std::string::npos) << narrow.out;
  EXPECT_NE(narrow.out.find("\nid  int64\n    nulls 0  distinct 3  min 1  max 3  mean 2\n"), std::string::npos)
      << narrow.out;
}

TEST(ParseCommand, OnATerminalSummaryDashStillGivesTheJson) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_on_terminal({"parse", dir.path("fruit.csv"), "--to", "none", "--summary", "-"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["rows"], 3);
  EXPECT_NE(r.err.find("3 rows, 3 columns"), std::string::npos) << r.err;
}

TEST(ParseCommand, RowsOnATerminalKeepTheOneLineReport) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_on_terminal({"parse", dir.path("fruit.csv"), "--to", "csv"}, 120);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kCsv);
  EXPECT_NE(r.err.find("3 rows, 3 columns"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("distinct"), std::string::npos) << r.err;
}

TEST(ParseCommand, ReportWithRowsOnStdoutGoesToStderr) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "csv", "--report", "--name", "fruit.csv"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kCsv);
  const auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 7u) << r.err;
  EXPECT_EQ(lines[0], "fruit.csv: csv (delimiter ',', header), 55 B, 3 rows, 0 bad rows");
  EXPECT_EQ(lines[1], "output: csv, 3 rows, 55 B");
  EXPECT_EQ(lines[4].rfind("id      int64", 0), 0u) << r.err;
  EXPECT_EQ(lines[6].rfind("price   float64      1         2  0.5    1.25  0.875  0.5", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("3 rows, 3 columns"), std::string::npos) << "no one-line report beside the table";
}

TEST(ParseCommand, ReportWithTheJsonOnStdoutGoesToStderr) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "--report", "--summary", "-"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["rows"], 3);
  EXPECT_NE(r.err.find("\nid      int64"), std::string::npos) << r.err;
  auto to_file = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "--report"});
  EXPECT_NE(to_file.out.find("\nid      int64"), std::string::npos) << "stdout is free: the report goes there\n"
                                                                     << to_file.out;
  EXPECT_TRUE(to_file.err.empty()) << to_file.err;
}

TEST(ParseCommand, TheJsonSummaryPutsShortArraysOnOneLine) {
  TempDir dir;
  dir.write("fruit.csv", kCsv);
  auto r = run_fastthread({"parse", dir.path("fruit.csv"), "--to", "none", "--summary", "-", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto summary = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(r.out, fastthread::pretty_json(summary) + "\n");
  EXPECT_NE(r.out.find("\n          \"counts\": [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\n      \"types\": {\"int64\": 3},\n"), std::string::npos) << r.out;
  EXPECT_LT(lines_of(r.out).size(), 150u) << "dump(2) took about 290 lines";
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

TEST(ParseCommand, ALogFormatStringNamesAndTypesTheColumns) {
  TempDir dir;
  dir.write("access.txt",
            "10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] \"GET /a HTTP/1.1\" 200 \"-\" 0.004\n"
            "10.0.0.2 - bob [01/Jan/2024:00:00:02 +0000] \"GET /b HTTP/1.1\" 404 \"ua\" 1.250\n");
  const std::string format = "%h %l %u %t \"%r\" %>s \"%{User-Agent}i\" %{ms}T";
  auto r = run_fastthread({"parse", dir.path("access.txt"), "--log-format", format, "--to", "csv", "-o",
                           dir.path("out.csv"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(dir.read("out.csv"),
            "ip,ident,user,time,method,path,protocol,status,user_agent,duration_ms\n"
            "10.0.0.1,,,2024-01-01T00:00:01+00:00,GET,/a,HTTP/1.1,200,,0.004\n"
            "10.0.0.2,,bob,2024-01-01T00:00:02+00:00,GET,/b,HTTP/1.1,404,ua,1.250\n");
  auto summary = nlohmann::json::parse(r.out);
  EXPECT_EQ(summary["format"]["variant"], "custom");
  EXPECT_EQ(summary["format"]["log_format"], format);
  EXPECT_EQ(summary["options"]["log_format"], format);
  EXPECT_EQ(summary["columns"][9]["type"], "float64");

  r = run_fastthread({"parse", dir.path("access.txt"), "--log-format", "%h %{X", "--to", "none"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("option 'log_format' is not a log format: '%{' at character 4 has no closing '}'"),
            std::string::npos)
      << r.err;
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
