// Builds the summary document of a job (internal; the shape is docs/summary.md).
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "fastthread/columns.hpp"
#include "fastthread/job.hpp"

namespace fastthread {

struct Timings {
  double sniff_ms = 0;
  double parse_ms = 0;
  double total_ms = 0;
};

// A column a CSV output could not take because it first appeared after the header.
struct DroppedColumn {
  std::string name;
  std::uint64_t first_row = 0;
};

struct SummaryInput {
  SummaryInput(const JobOptions& o, const Detected& d, const std::vector<ColumnProfile>& p)
      : options(o), detected(d), profiles(p) {}

  const JobOptions& options;
  const Detected& detected;
  const std::vector<ColumnProfile>& profiles;
  const Columns* columns = nullptr;  // null when no parser ran
  std::uint64_t bytes = 0;
  std::uint64_t rows = 0;
  std::uint64_t errors = 0;
  const std::vector<Issue>* first_errors = nullptr;
  JobState state = JobState::done;
  const JobError* error = nullptr;
  std::uint64_t output_rows = 0;
  std::uint64_t output_bytes = 0;
  const std::vector<DroppedColumn>* dropped_columns = nullptr;
  Timings timings;
  Compression compression = Compression::none;
  std::uint64_t compressed_bytes = 0;  // read by the host, when compressed
};

nlohmann::ordered_json build_summary(const SummaryInput& in);

}  // namespace fastthread
