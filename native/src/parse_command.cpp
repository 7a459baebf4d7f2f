#include "parse_command.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "decompress/job_input.hpp"
#include "fastthread/job.hpp"
#include "fastthread/pretty_json.hpp"
#include "fd_sink.hpp"
#include "progress_bar.hpp"
#include "report.hpp"

namespace fastthread::cli {
namespace {

constexpr const char* kHelp =
    "Usage: fastthread parse FILE|- [options]\n"
    "\n"
    "Parses FILE (or standard input for '-'), profiles every column and writes the file\n"
    "transformed to another format. The summary (format found, rows, columns with types and\n"
    "statistics, errors with their places) is JSON, described in docs/summary.md; the report\n"
    "is the same summary as a table for a person: one line per column.\n"
    "A gzip or zstd FILE (or stream) is decompressed first, known by its first bytes, not\n"
    "its name; the summary's file.compression says which, file.bytes counts the bytes\n"
    "decompressed and file.compressed_bytes those read.\n"
    "\n"
    "Output:\n"
    "  -o, --output FILE|-     where the transformed rows go (default: standard output)\n"
    "  --to FORMAT             ndjson (default), json, csv, or none (profile only)\n"
    "  --summary FILE|-        where the JSON summary goes (default: standard output when the\n"
    "                          rows do not go there, i.e. with -o FILE or --to none, unless\n"
    "                          the report goes there; otherwise nowhere)\n"
    "  --report                the report (the summary as a table, one line per column) instead\n"
    "                          of the JSON summary on standard output; on standard error when the\n"
    "                          rows or '--summary -' take standard output. It is the default when\n"
    "                          standard output is a terminal, no rows go there and no --summary\n"
    "                          is given ('--summary -' gives the JSON). With the rows on\n"
    "                          standard output, stderr gets only the one-line report unless\n"
    "                          --report is given, even on a terminal. The report fits the\n"
    "                          terminal's width (else $COLUMNS, else 100): long texts are cut,\n"
    "                          then mean and p50 left out, then each column is a record\n"
    "\n"
    "Input:\n"
    "  --format FORMAT         auto (default: sniffed from content and name), csv, tsv,\n"
    "                          ndjson, json, log (Common/Combined Log Format, W3C extended)\n"
    "  --log-format STRING     the lines follow this nginx log_format ('$remote_addr ...') or\n"
    "                          Apache LogFormat ('%h %l ...') string; implies --format log\n"
    "  --delimiter C           CSV delimiter (one character, or 'tab'); default: sniffed\n"
    "  --header auto|yes|no    whether the first CSV row names the columns (default: auto)\n"
    "  --encoding E            auto (default: detected), utf-8, utf-16le, utf-16be,\n"
    "                          windows-1252 or latin-1; the rows are always written as UTF-8\n"
    "  --name NAME             the file name to report (default: FILE; useful with '-')\n"
    "\n"
    "Types and errors:\n"
    "  --types infer|none      infer column types (default), or keep every value as its text\n"
    "  --nulls LIST            comma-separated null tokens, e.g. ',NA,null' (the empty item is\n"
    "                          the empty string); default: '',NA,N/A,null,NULL,None,nan,NaN\n"
    "  --max-errors N          bad rows tolerated before the job stops (default 100; 0 stops at\n"
    "                          the first; -1 never stops)\n"
    "  --keep-errors N         bad rows listed with their places in the summary (default 20)\n"
    "\n"
    "Limits:\n"
    "  --max-record-bytes N    longest row/line/JSON element (default 268435456)\n"
    "  --max-columns N         most columns (default 16384)\n"
    "  --max-json-depth N      deepest JSON nesting (default 64)\n"
    "  --max-decompressed-bytes N  most bytes a compressed input may decompress to\n"
    "                          (default 68719476736 = 64 GiB): error too_large\n"
    "  --max-expansion-ratio N most decompressed bytes per compressed byte, checked past\n"
    "                          the first MiB (default 1000): error too_large\n"
    "  --chunk-size N          bytes read at a time (default 1048576; any size gives the same result)\n"
    "\n"
    "Display:\n"
    "  --progress / --no-progress   progress bar on stderr (default: only when stderr is a terminal)\n"
    "  -q, --quiet             no one-line report on stderr (there is none when the report is\n"
    "                          printed: its header says the same)\n"
    "\n"
    "Exit codes:\n"
    "  0    done (bad rows within --max-errors are counted and listed in the summary)\n"
    "  1    the input stopped the job: more bad rows than --max-errors (parse_error), it is\n"
    "       not text (unsupported), truncated or corrupt compressed data (corrupt_input), or a\n"
    "       decompression limit (too_large)\n"
    "  2    bad command line\n"
    "  3    a file could not be read or written\n"
    "  130  interrupted (Ctrl-C); the summary says \"cancelled\"\n"
    "\n"
    "Examples:\n"
    "  fastthread parse sales.csv --to none                 # profile only: a report on a terminal,\n"
    "                                                       # else the JSON summary\n"
    "  fastthread parse sales.csv --to none --summary -     # the JSON summary, even on a terminal\n"
    "  fastthread parse sales.csv -o sales.ndjson           # CSV -> NDJSON, the profile on stdout\n"
    "  fastthread parse sales.csv --report > sales.ndjson   # the same, the report on stderr\n"
    "  fastthread parse events.ndjson --to csv > events.csv # NDJSON -> CSV\n"
    "  fastthread parse access.log.gz --to csv -o access.csv # gzip (or zstd) is read as such\n"
    "  zcat access.log.gz | fastthread parse - --format log --to csv -o access.csv\n";

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

struct Args {
  std::string input;
  std::string output = "-";
  std::optional<std::string> summary;
  std::size_t chunk_size = 1 << 20;
  std::optional<bool> progress;
  bool quiet = false;
  bool report = false;
  nlohmann::json options = nlohmann::json::object();
};

std::optional<std::int64_t> to_int(const char* text) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0') return std::nullopt;
  return v;
}

std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = list.find(',', start);
    items.push_back(list.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// Parses the command line into Args; on a usage error prints it and returns nullopt.
std::optional<Args> parse_args(int argc, char** argv) {
  Args a;
  auto fail = [](const std::string& why) {
    std::fprintf(stderr, "fastthread parse: %s\nRun 'fastthread parse --help' for usage.\n", why.c_str());
    return std::nullopt;
  };
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    const char* v = nullptr;
    // Takes the next argument as this option's value.
    auto needs = [&] {
      if (i + 1 >= argc) return false;
      v = argv[++i];
      return true;
    };
    if (arg == "-o" || arg == "--output") {
      if (!needs()) return fail(arg + " needs a file name");
      a.output = v;
    } else if (arg == "--summary") {
      if (!needs()) return fail("--summary needs a file name or '-'");
      a.summary = v;
    } else if (arg == "--to" || arg == "--format" || arg == "--delimiter" || arg == "--header" ||
               arg == "--encoding" || arg == "--types" || arg == "--name") {
      if (!needs()) return fail(arg + " needs a value");
      a.options[arg.substr(2)] = v;
    } else if (arg == "--log-format") {
      if (!needs()) return fail("--log-format needs a format string");
      a.options["log_format"] = v;
    } else if (arg == "--nulls") {
      if (!needs()) return fail("--nulls needs a list");
      a.options["nulls"] = split_list(v);
    } else if (arg == "--max-errors" || arg == "--keep-errors") {
      if (!needs()) return fail(arg + " needs a number");
      auto n = to_int(v);
      if (!n) return fail(arg + " needs a number, not '" + v + "'");
      a.options[arg == "--max-errors" ? "max_errors" : "keep_errors"] = *n;
    } else if (arg == "--max-record-bytes" || arg == "--max-columns" || arg == "--max-json-depth" ||
               arg == "--max-decompressed-bytes" || arg == "--max-expansion-ratio") {
      if (!needs()) return fail(arg + " needs a number");
      auto n = to_int(v);
      if (!n || *n <= 0) return fail(arg + " needs a positive number, not '" + v + "'");
      std::string key = arg.substr(2);
      for (char& c : key) c = c == '-' ? '_' : c;
      a.options["limits"][key] = static_cast<std::uint64_t>(*n);
    } else if (arg == "--chunk-size") {
      if (!needs()) return fail("--chunk-size needs a number");
      auto n = to_int(v);
      if (!n || *n <= 0 || *n > (1ll << 30)) return fail("--chunk-size must be between 1 and 1073741824");
      a.chunk_size = static_cast<std::size_t>(*n);
    } else if (arg == "--progress") {
      a.progress = true;
    } else if (arg == "--no-progress") {
      a.progress = false;
    } else if (arg == "-q" || arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--report") {
      a.report = true;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return fail("unknown option '" + arg + "'");
    } else if (a.input.empty()) {
      a.input = arg;
    } else {
      return fail("only one input file, got '" + a.input + "' and '" + arg + "'");
    }
  }
  if (a.input.empty()) return fail("no input file (use '-' for standard input)");
  if (!a.options.contains("name")) a.options["name"] = a.input == "-" ? "stdin" : a.input;
  return a;
}

bool write_summary(const std::string& path, const nlohmann::ordered_json& summary) {
  std::string text = pretty_json(summary) + "\n";
  if (path == "-") return write_all(STDOUT_FILENO, text);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = write_all(fd, text);
  return ::close(fd) == 0 && ok;
}

// The bar runs against the file's size: it counts bytes read, compressed or not.
Progress read_progress(const Job& job, const decompress::JobInput& input) {
  Progress p = job.progress();
  p.bytes = input.bytes_read();
  return p;
}

}  // namespace

int parse_command_help() {
  std::fputs(kHelp, stdout);
  return kExitOk;
}

int parse_command(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) return parse_command_help();
  }
  auto args = parse_args(argc, argv);
  if (!args) return kExitUsage;
  std::string error;
  auto options = JobOptions::from_json(args->options, error);
  if (!options) {
    std::fprintf(stderr, "fastthread parse: %s\n", error.c_str());
    return kExitUsage;
  }
  const bool rows_to_stdout = args->output == "-" && options->output != OutputFormat::none;
  // On a terminal that no rows go to, a person reads the report rather than the JSON.
  const bool report = args->report || (!rows_to_stdout && !args->summary && ::isatty(STDOUT_FILENO) == 1);
  const std::string summary_path = args->summary.value_or(rows_to_stdout || report ? "" : "-");
  const int report_fd = rows_to_stdout || summary_path == "-" ? STDERR_FILENO : STDOUT_FILENO;
  if (rows_to_stdout && summary_path == "-") {
    std::fputs("fastthread parse: the rows and the summary cannot both go to standard output\n", stderr);
    return kExitUsage;
  }

  int in = args->input == "-" ? STDIN_FILENO : ::open(args->input.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    std::fprintf(stderr, "fastthread parse: cannot open %s: %s\n", args->input.c_str(), std::strerror(errno));
    return kExitIoError;
  }
  std::uint64_t total = 0;
  struct stat st{};
  if (::fstat(in, &st) == 0 && S_ISREG(st.st_mode)) total = static_cast<std::uint64_t>(st.st_size);

  int out = STDOUT_FILENO;
  if (options->output != OutputFormat::none && args->output != "-") {
    out = ::open(args->output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
      std::fprintf(stderr, "fastthread parse: cannot write %s: %s\n", args->output.c_str(), std::strerror(errno));
      return kExitIoError;
    }
  }

  // No SA_RESTART: Ctrl-C must interrupt a read that waits on a pipe.
  struct sigaction sa{};
  sa.sa_handler = on_sigint;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  FdSink sink(out);
  Job job(*options, sink);
  decompress::JobInput input(job);
  ProgressBar bar(args->progress.value_or(::isatty(STDERR_FILENO) == 1), total);
  std::vector<char> buffer(args->chunk_size);
  std::string read_error;
  while (!g_interrupted) {
    ssize_t n = ::read(in, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      read_error = std::strerror(errno);
      break;
    }
    if (n == 0) break;
    if (!input.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)))) break;
    if (sink.failed()) break;
    bar.update(read_progress(job, input));
  }
  if (g_interrupted) {
    job.cancel();
  } else if (read_error.empty() && !sink.failed()) {
    input.finish();
  }
  Result result = job.finish();
  bar.done();
  if (in != STDIN_FILENO) ::close(in);
  bool io_failed = !read_error.empty() || sink.failed();
  if (out != STDOUT_FILENO && ::close(out) != 0) io_failed = true;
  if (!read_error.empty()) std::fprintf(stderr, "fastthread parse: reading %s: %s\n", args->input.c_str(), read_error.c_str());
  if (sink.failed()) std::fprintf(stderr, "fastthread parse: writing the output: %s\n", sink.error().c_str());

  if (!summary_path.empty() && !write_summary(summary_path, result.summary)) {
    std::fprintf(stderr, "fastthread parse: cannot write the summary to %s\n", summary_path.c_str());
    io_failed = true;
  }
  if (report && !write_all(report_fd, format_report(result.summary, terminal_width(report_fd)))) {
    std::fputs("fastthread parse: cannot write the report\n", stderr);
    io_failed = true;
  }
  if (!args->quiet && !report) {
    const auto& s = result.summary;
    std::fprintf(stderr, "fastthread parse: %s: %s, %s, %llu rows, %zu columns, %llu bad rows\n",
                 options->file_name.c_str(), s["status"].get<std::string>().c_str(),
                 s["format"]["name"].get<std::string>().c_str(), static_cast<unsigned long long>(s["rows"].get<std::uint64_t>()),
                 s["columns"].size(), static_cast<unsigned long long>(s["bad_rows"].get<std::uint64_t>()));
    if (result.error && result.state == JobState::failed) {
      std::fprintf(stderr, "fastthread parse: %s\n", result.error->message.c_str());
    }
  }
  if (io_failed) return kExitIoError;
  if (result.state == JobState::cancelled) return kExitCancelled;
  if (result.state == JobState::failed) return kExitInputError;
  return kExitOk;
}

}  // namespace fastthread::cli
