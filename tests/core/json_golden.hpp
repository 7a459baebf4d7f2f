// Golden-file helpers shared by the JSON parser tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fastthread/parser.hpp"
#include "split_harness.hpp"

namespace fastthread::testing {

struct JsonRunOptions {
  bool ndjson = true;
  bool skip_bom = true;
  Limits limits;
};

// Feeds `chunks` to a fresh parser and returns the handler's log, then the columns, the
// parser's byte count and what feed/finish answered.
inline std::string run_json(const JsonRunOptions& options, const std::vector<std::string_view>& chunks) {
  RecordingHandler handler;
  auto parser = make_json_parser(options.ndjson, options.skip_bom, options.limits, handler);
  bool go_on = true;
  for (std::string_view chunk : chunks) {
    if (!parser->feed(chunk)) {
      go_on = false;
      break;
    }
  }
  if (go_on) go_on = parser->finish();
  std::string log = handler.log + "columns:";
  for (const std::string& name : parser->columns().names()) log += " <" + name + ">";
  log += "\nbytes " + std::to_string(parser->bytes()) + (go_on ? " done\n" : " stopped\n");
  return log;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Checks the parse of tests/data/json/<input> against <input minus extension>.expected,
// under 200 random chunkings. FASTTHREAD_UPDATE_GOLDEN=1 rewrites the expected file
// (review the diff before committing it).
inline void expect_golden(const std::string& input_name, const JsonRunOptions& options) {
  const std::string dir = std::string(FASTTHREAD_TEST_DATA) + "/json/";
  const std::string input = read_file(dir + input_name);
  const std::string got =
      expect_split_invariant(input, [&](const auto& chunks) { return run_json(options, chunks); });
  const std::string expected_path = dir + input_name.substr(0, input_name.rfind('.')) + ".expected";
  if (std::getenv("FASTTHREAD_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << got;
    return;
  }
  EXPECT_EQ(got, read_file(expected_path)) << "golden " << expected_path;
}

}  // namespace fastthread::testing
