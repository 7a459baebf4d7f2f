// Kind names, size parsing and the block-writing loop shared by every kind.
#include "generator.hpp"

#include <array>
#include <string>

#include "row_sources.hpp"

namespace fastthread::bench {

namespace {
constexpr std::array<DataKind, 4> kKinds = {DataKind::mixed_csv, DataKind::numeric_csv, DataKind::ndjson,
                                            DataKind::access_log};

char lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}
}  // namespace

std::string_view to_string(DataKind kind) {
  switch (kind) {
    case DataKind::mixed_csv:
      return "mixed-csv";
    case DataKind::numeric_csv:
      return "numeric-csv";
    case DataKind::ndjson:
      return "ndjson";
    case DataKind::access_log:
      return "access-log";
  }
  return "mixed-csv";
}

std::optional<DataKind> parse_data_kind(std::string_view name) {
  for (DataKind kind : kKinds) {
    if (to_string(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t number = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const std::uint64_t digit = static_cast<std::uint64_t>(text[i] - '0');
    if (number > (UINT64_MAX - digit) / 10) return std::nullopt;
    number = number * 10 + digit;
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string suffix;
  for (; i < text.size(); ++i) suffix.push_back(lower(text[i]));
  int power = 0;
  if (!suffix.empty() && (suffix[0] == 'k' || suffix[0] == 'm' || suffix[0] == 'g')) {
    power = suffix[0] == 'k' ? 1 : suffix[0] == 'm' ? 2 : 3;
    suffix.erase(0, 1);
  }
  std::uint64_t base = 1000;
  if (suffix == "ib" && power > 0) {
    base = 1024;
  } else if (!(suffix.empty() || suffix == "b")) {
    return std::nullopt;
  }
  for (int p = 0; p < power; ++p) {
    if (number > UINT64_MAX / base) return std::nullopt;
    number *= base;
  }
  return number;
}

std::uint64_t generate(DataKind kind, std::uint64_t target_bytes, std::uint64_t seed,
                       const std::function<void(std::string_view)>& write, std::size_t block_bytes) {
  std::unique_ptr<RowSource> source;
  switch (kind) {
    case DataKind::mixed_csv:
      source = make_mixed_csv(seed);
      break;
    case DataKind::numeric_csv:
      source = make_numeric_csv(seed);
      break;
    case DataKind::ndjson:
      source = make_ndjson(seed);
      break;
    case DataKind::access_log:
      source = make_access_log(seed);
      break;
  }
  std::string block;
  block.reserve(block_bytes + 64 * 1024);
  std::uint64_t written = 0;
  source->header(block);
  while (written + block.size() < target_bytes) {
    source->row(block);
    if (block.size() >= block_bytes) {
      write(block);
      written += block.size();
      block.clear();
    }
  }
  if (!block.empty()) write(block);
  return written + block.size();
}

}  // namespace fastthread::bench
