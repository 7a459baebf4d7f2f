// Access logs through the whole job, in one chunk and in random chunks (job_fuzz.hpp).
// Option byte A: output format, limits, and whether the file's first line is an
// nginx/Apache log format string that the rest is read by.
#include "fastthread/parser.hpp"
#include "job_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fastthread;
  fuzz::FuzzInput in = fuzz::read_fuzz_input(data, size);
  JobOptions options;
  static constexpr OutputFormat kOutputs[] = {OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv,
                                              OutputFormat::none};
  options.output = kOutputs[in.a & 3];
  options.format = Format::log;
  if ((in.a & 4) != 0) options.file_name = "access.log";
  if ((in.a & 8) != 0) {
    options.limits.max_record_bytes = 60;
    options.limits.max_columns = 5;
  }
  if ((in.a & 16) != 0) {
    const std::size_t newline = in.file.find('\n');
    const std::string_view format = in.file.substr(0, newline);
    // A format the job would refuse is refused before it starts (JobOptions::from_json).
    if (newline == std::string_view::npos || !check_log_format(format).empty()) return 0;
    options.log_format = std::string(format);
    in.file.remove_prefix(newline + 1);
  }
  fuzz::common_options(in.b, options);
  fuzz::expect_split_invariant(options, in);
  return 0;
}
