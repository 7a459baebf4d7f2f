// NDJSON and JSON arrays through the whole job, in one chunk and in random chunks
// (job_fuzz.hpp). Option byte A: framing, output format, and small limits.
#include "job_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace fastthread;
  const fuzz::FuzzInput in = fuzz::read_fuzz_input(data, size);
  JobOptions options;
  static constexpr OutputFormat kOutputs[] = {OutputFormat::ndjson, OutputFormat::json, OutputFormat::csv,
                                              OutputFormat::none};
  options.output = kOutputs[in.a & 3];
  switch ((in.a >> 2) & 3) {
    case 0:
      options.format = Format::ndjson;
      break;
    case 1:
      options.format = Format::json;
      break;
    default:
      options.file_name = "input.json";  // framing sniffed, as "auto" does
      break;
  }
  if ((in.a & 16) != 0) options.limits.max_json_depth = 3;
  if ((in.a & 32) != 0) options.limits.max_record_bytes = 40;
  if ((in.a & 64) != 0) options.limits.max_columns = 4;
  // The deepest nesting a client may ask for: nothing may recurse over it.
  if ((in.a & 128) != 0) options.limits.max_json_depth = 100000;
  fuzz::common_options(in.b, options);
  fuzz::expect_split_invariant(options, in);
  return 0;
}
