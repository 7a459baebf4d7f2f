// One row generator per data kind (internal to the generator).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace fastthread::bench {

class RowSource {
 public:
  virtual ~RowSource() = default;
  // The header line with its line end, if the kind has one.
  virtual void header(std::string& /*out*/) {}
  // One whole row with its line end.
  virtual void row(std::string& out) = 0;
};

std::unique_ptr<RowSource> make_mixed_csv(std::uint64_t seed);
std::unique_ptr<RowSource> make_numeric_csv(std::uint64_t seed);
std::unique_ptr<RowSource> make_ndjson(std::uint64_t seed);
std::unique_ptr<RowSource> make_access_log(std::uint64_t seed);

}  // namespace fastthread::bench
