// CSV and TSV through the whole job, in one chunk and in random chunks (job_fuzz.hpp).
// Option byte A: output format, header mode, dialect, and small limits.
#include "job_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fastthread;
  const fuzz::FuzzInput in = fuzz::read_fuzz_input(data, size);
  JobOptions options;
  static constexpr OutputFormat kOutputs[] = {OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv,
                                              OutputFormat::none};
  static constexpr HeaderMode kHeaders[] = {HeaderMode::automatic, HeaderMode::present, HeaderMode::absent,
                                            HeaderMode::automatic};
  options.output = kOutputs[in.a & 3];
  options.header = kHeaders[(in.a >> 2) & 3];
  switch ((in.a >> 4) & 3) {
    case 0:
      options.format = Format::csv;  // delimiter sniffed
      break;
    case 1:
      options.format = Format::csv;
      options.delimiter = ';';
      break;
    case 2:
      options.format = Format::tsv;
      break;
    default:
      options.file_name = "input.csv";  // format sniffed, as "auto" does
      break;
  }
  if ((in.a & 64) != 0) {
    options.limits.max_record_bytes = 48;
    options.limits.max_columns = 6;
  }
  if ((in.a & 128) != 0) options.nulls.tokens = {"", "-"};
  fuzz::common_options(in.b, options);
  fuzz::expect_split_invariant(options, in);
  return 0;
}
