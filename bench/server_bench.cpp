// fastthread-server-bench: the real `fastthread serve` on loopback, measured from the
// client's side: end-to-end upload+parse throughput, the upload and the parse alone,
// 2 jobs on 2 workers against 1 on 1, cancel latency and the master's memory. Prints a
// Markdown table (bench/server.sh runs it; results go to docs/performance.md). A
// benchmark, not a test: nothing here asserts a timing.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "generator.hpp"
#include "server_process.hpp"
#include "server_scenarios.hpp"

namespace {
using namespace fastthread::bench;

constexpr const char* kHelp =
    "Usage: fastthread-server-bench [BINARY] [options]\n"
    "\n"
    "Starts BINARY (default build/release/native/fastthread) as `serve` on 127.0.0.1, a\n"
    "fresh server per measurement, and prints a Markdown table.\n"
    "\n"
    "  --file FILE          the CSV to upload (default: bench/data/mixed-csv-SIZE.csv,\n"
    "                       generated with --generator when missing)\n"
    "  --size SIZE          its size when generated (default 500MB)\n"
    "  --generator PATH     default build/release/bench/fastthread-generate\n"
    "  --scale-size SIZE    bytes per job in the 2-workers test (default 200MB)\n"
    "  --scale-repeats N    default 3\n"
    "  --cancel-jobs N      jobs per cancel test (default 50)\n"
    "  --cancel-size SIZE   bytes per cancelled job (default 64MiB)\n"
    "  --clients N          idle WebSocket clients in the memory test (default 200)\n";

struct Args {
  std::string binary = "build/release/native/fastthread";
  std::string generator = "build/release/bench/fastthread-generate";
  std::string file;
  std::string size_text = "500MB";
  std::string scale_text = "200MB";
  std::string cancel_text = "64MiB";
  int scale_repeats = 3;
  int cancel_jobs = 50;
  int clients = 200;
};

std::uint64_t size_of(const std::string& text) {
  auto n = parse_size(text);
  if (!n || *n == 0) throw std::runtime_error("bad size '" + text + "'");
  return *n;
}

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kHelp, stdout);
      std::exit(0);
    } else if (arg == "--file") {
      a.file = value();
    } else if (arg == "--size") {
      a.size_text = value();
    } else if (arg == "--generator") {
      a.generator = value();
    } else if (arg == "--scale-size") {
      a.scale_text = value();
    } else if (arg == "--scale-repeats") {
      a.scale_repeats = std::max(1, std::stoi(value()));
    } else if (arg == "--cancel-jobs") {
      a.cancel_jobs = std::max(1, std::stoi(value()));
    } else if (arg == "--cancel-size") {
      a.cancel_text = value();
    } else if (arg == "--clients") {
      a.clients = std::max(1, std::stoi(value()));
    } else if (!arg.empty() && arg[0] == '-') {
      throw std::runtime_error("unknown option '" + arg + "'");
    } else {
      a.binary = arg;
    }
  }
  return a;
}

// The first `want` bytes of the file, shortened to the end of a line.
std::uint64_t prefix_at_line_end(int fd, std::uint64_t size, std::uint64_t want) {
  if (want >= size) return size;
  char c = 0;
  for (std::uint64_t end = want; end > 0; --end) {
    if (::pread(fd, &c, 1, static_cast<off_t>(end - 1)) == 1 && c == '\n') return end;
  }
  return want;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  // Nearest rank.
  auto rank = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size()) + 0.999999);
  return v[std::clamp<std::size_t>(rank, 1, v.size()) - 1];
}

std::string mb(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::string kb(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f KB", static_cast<double>(bytes) / 1e3);
  return text;
}

std::string mbps(std::uint64_t bytes, double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f MB/s", s > 0 ? static_cast<double>(bytes) / 1e6 / s : 0.0);
  return text;
}

std::string secs(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", s);
  return text;
}

void row(const std::string& what, const std::string& value, const std::string& note = "") {
  std::printf("| %s | %s | %s |\n", what.c_str(), value.c_str(), note.c_str());
  std::fflush(stdout);
}

void job_rows(const std::string& what, const JobResult& r, std::uint64_t size) {
  if (!r.ok) return row(what, "failed", r.error);
  row(what, mbps(size, r.total_s),
      secs(r.total_s) + " start to finish; upload at 100% after " + secs(r.upload_s) + " (" +
          mbps(size, r.upload_s) + "); worker process_ms " + std::to_string(static_cast<int>(r.process_ms)));
}

int run(const Args& a) {
  BenchSetup setup;
  setup.binary = a.binary;
  setup.file = a.file;
  if (setup.file.empty()) {
    setup.file = "bench/data/mixed-csv-" + a.size_text + ".csv";
    if (!std::filesystem::exists(setup.file) || std::filesystem::file_size(setup.file) == 0) {
      std::filesystem::create_directories(std::filesystem::path(setup.file).parent_path());
      std::fprintf(stderr, "server-bench: generating %s\n", setup.file.c_str());
      if (run_program({a.generator, "mixed-csv", a.size_text, "-o", setup.file}) != 0) {
        throw std::runtime_error("the generator failed");
      }
    }
  }
  setup.fd = ::open(setup.file.c_str(), O_RDONLY | O_CLOEXEC);
  if (setup.fd < 0) throw std::runtime_error("cannot open " + setup.file);
  setup.size = std::filesystem::file_size(setup.file);
  setup.scale_size = prefix_at_line_end(setup.fd, setup.size, size_of(a.scale_text));
  setup.cancel_size = std::min(setup.size, size_of(a.cancel_text));
  setup.cancel_jobs = a.cancel_jobs;
  setup.scale_repeats = a.scale_repeats;
  setup.idle_clients = a.clients;
  // Warm the page cache so the first measurement does not read the disk.
  parse_alone(setup, "none");

  std::printf("## fastthread serve, measured over loopback WebSocket\n\n");
  std::printf(
      "- server: `%s serve --host 127.0.0.1 --port 0 --data-dir <temp>` (a fresh one per row group)\n",
      setup.binary.c_str());
  std::printf("- file: `%s`, %s; upload frames of 1 MiB (one WebSocket frame each), no sha256\n",
              setup.file.c_str(), mb(setup.size).c_str());
  std::printf("- cores: %ld\n\n", ::sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("| measurement | value | notes |\n| --- | --- | --- |\n");

  const double parse_none = parse_alone(setup, "none");
  const double parse_ndjson = parse_alone(setup, "ndjson");
  row("`fastthread parse FILE --to none` (no server)", mbps(setup.size, parse_none), secs(parse_none));
  row("`fastthread parse FILE --to ndjson -o FILE` (no server)", mbps(setup.size, parse_ndjson),
      secs(parse_ndjson));
  const JobResult alone = upload_alone(setup);
  if (alone.ok) {
    row("upload alone (`--workers 1`, the worker held by another job)", mbps(setup.size, alone.upload_s),
        secs(alone.upload_s) + " from start to the host's upload progress at 100%");
  } else {
    row("upload alone", "failed", alone.error);
  }
  const JobResult none = end_to_end(setup, "none");
  job_rows("upload + parse, `to: none` (`--workers 2`)", none, setup.size);
  const JobResult ndjson = end_to_end(setup, "ndjson");
  job_rows("upload + parse, `to: ndjson` (`--workers 2`)", ndjson, setup.size);
  if (none.ok && alone.ok) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2fx", none.total_s / std::max(parse_none, alone.upload_s));
    row("upload + parse `to: none` / slower of (upload alone, parse alone)", text);
  }

  const ScaleResult scale = scaling(setup);
  const double one = median(scale.one_s), two = median(scale.two_s);
  row("1 job on `--workers 1` (" + mb(setup.scale_size) + ", `to: none`)", secs(one),
      "median of " + std::to_string(scale.one_s.size()) + "; " + mbps(setup.scale_size, one));
  row("2 jobs at once on `--workers 2` (two connections)", secs(two),
      "median of " + std::to_string(scale.two_s.size()) + "; " + mbps(2 * setup.scale_size, two) + " in all");
  char ratio[32];
  std::snprintf(ratio, sizeof ratio, "%.2fx", one > 0 ? two / one : 0.0);
  row("time ratio 2 jobs / 1 job", ratio);

  for (bool uploaded : {false, true}) {
    const CancelResult c = cancel_latency(setup, uploaded);
    char text[96];
    std::snprintf(text, sizeof text, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(c.ms, 50),
                  percentile(c.ms, 99), c.ms.empty() ? 0.0 : *std::max_element(c.ms.begin(), c.ms.end()));
    row(std::string("cancel latency, running job, ") +
            (uploaded ? "fully uploaded and parsing" : "4 MiB of its upload in, parsing"),
        text,
        std::to_string(c.ms.size()) + " jobs of " + mb(setup.cancel_size) + ", `to: ndjson`, `--workers 2`" +
            (c.ended_before ? "; " + std::to_string(c.ended_before) + " ended before the cancel" : ""));
  }

  const IdleMemory idle = idle_memory(setup);
  row("master RSS, idle (`--workers 2`)", mb(idle.idle_rss));
  row("master RSS, " + std::to_string(idle.clients) + " idle WebSocket clients (each said hello)",
      mb(idle.clients_rss),
      idle.clients
          ? kb((idle.clients_rss - std::min(idle.clients_rss, idle.idle_rss)) / idle.clients) + " per client"
          : "");
  for (const auto* r : {&none, &ndjson}) {
    row(std::string("master RSS peak during the upload + parse, `to: ") + (r == &none ? "none" : "ndjson") +
            "`",
        mb(r->master_rss_peak),
        "VmHWM " + mb(r->master_hwm) + "; largest worker RSS in pool messages " + mb(r->worker_rss_peak));
  }
  row("master RSS peak during the upload alone", mb(alone.master_rss_peak), "VmHWM " + mb(alone.master_hwm));
  ::close(setup.fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_args(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fastthread-server-bench: %s\n", e.what());
    return 1;
  }
}
