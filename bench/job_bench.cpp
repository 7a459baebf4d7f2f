// In-process throughput of the whole job (sniff, parse, profile, write) on generated data,
// with Google Benchmark. Complements bench/run.sh, which times the real program.
#include <benchmark/benchmark.h>

#include <string>

#include "fastthread/job.hpp"
#include "generator.hpp"

namespace {

class DiscardSink final : public fastthread::OutputSink {
 public:
  void write(std::string_view bytes) override { benchmark::DoNotOptimize(bytes.data()); }
};

const std::string& data(fastthread::bench::DataKind kind) {
  static std::string cache[4];
  std::string& s = cache[static_cast<int>(kind)];
  if (s.empty()) fastthread::bench::generate(kind, 32u << 20, 1, [&](std::string_view b) { s.append(b); });
  return s;
}

void run_job(benchmark::State& state, fastthread::bench::DataKind kind, const char* to) {
  const std::string& input = data(kind);
  std::string error;
  auto options = fastthread::JobOptions::from_json({{"to", to}}, error);
  for (auto _ : state) {
    DiscardSink sink;
    fastthread::Job job(*options, sink);
    for (std::size_t pos = 0; pos < input.size(); pos += 1 << 20) {
      job.feed(std::string_view(input).substr(pos, 1 << 20));
    }
    auto result = job.finish();
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}

using fastthread::bench::DataKind;
BENCHMARK_CAPTURE(run_job, mixed_csv_to_none, DataKind::mixed_csv, "none")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, mixed_csv_to_ndjson, DataKind::mixed_csv, "ndjson")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, numeric_csv_to_none, DataKind::numeric_csv, "none")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, numeric_csv_to_ndjson, DataKind::numeric_csv, "ndjson")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, ndjson_to_none, DataKind::ndjson, "none")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, ndjson_to_csv, DataKind::ndjson, "csv")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, access_log_to_none, DataKind::access_log, "none")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(run_job, access_log_to_csv, DataKind::access_log, "csv")->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
