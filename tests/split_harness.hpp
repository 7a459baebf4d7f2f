// Test helpers: feed an input in random chunkings and record what comes out.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/field.hpp"

namespace fastthread::testing {

// Records every on_row/on_bad_row call as one line of text, so two runs compare as strings.
class RecordingHandler : public RowHandler {
 public:
  bool on_row(std::span<const Field> fields, const Place& place) override {
    log += "row " + std::to_string(place.row) + " line " + std::to_string(place.line) + " @" +
           std::to_string(place.byte_offset) + ":";
    for (const Field& f : fields) {
      log += " [";
      log += kind_name(f.kind);
      log += ' ';
      log += f.text;
      log += ']';
    }
    log += '\n';
    ++rows;
    return rows < stop_after_rows;
  }
  bool on_bad_row(const Issue& issue) override {
    log += "bad " + std::string(to_string(issue.code)) + " row " + std::to_string(issue.place.row) + " line " +
           std::to_string(issue.place.line) + " @" + std::to_string(issue.place.byte_offset) + " col '" +
           issue.column + "': " + issue.message + '\n';
    ++bad;
    return true;
  }
  static const char* kind_name(FieldKind kind) {
    switch (kind) {
      case FieldKind::missing: return "missing";
      case FieldKind::text: return "text";
      case FieldKind::string: return "string";
      case FieldKind::number: return "number";
      case FieldKind::boolean: return "boolean";
      case FieldKind::null: return "null";
      case FieldKind::json: return "json";
    }
    return "?";
  }
  std::string log;
  std::uint64_t rows = 0;
  std::uint64_t bad = 0;
  std::uint64_t stop_after_rows = UINT64_MAX;
};

// Cut points for `size` bytes: `mode` 0 = one chunk, 1 = one byte each, otherwise random
// chunk lengths from 1 to `max_chunk` drawn from `rng`.
inline std::vector<std::string_view> split(std::string_view input, int mode, std::mt19937_64& rng,
                                           std::size_t max_chunk = 64) {
  std::vector<std::string_view> chunks;
  std::size_t pos = 0;
  std::uniform_int_distribution<std::size_t> len(1, max_chunk);
  while (pos < input.size()) {
    std::size_t n = mode == 0 ? input.size() : mode == 1 ? 1 : len(rng);
    n = std::min(n, input.size() - pos);
    chunks.push_back(input.substr(pos, n));
    pos += n;
  }
  return chunks;
}

// Runs `run(chunks)` on the whole input, on 1-byte chunks and on `random_rounds` random
// chunkings (mixing small and large chunk sizes), and checks every result equals the
// whole-input one. Returns the whole-input result. `run` must build fresh state each call.
std::string expect_split_invariant(std::string_view input,
                                   const std::function<std::string(const std::vector<std::string_view>&)>& run,
                                   int random_rounds = 200, std::uint64_t seed = 42);

}  // namespace fastthread::testing
