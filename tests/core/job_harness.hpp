// What the job tests share: a sink that keeps the output, and options from their JSON.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fastthread/job.hpp"
#include "fastthread/sink.hpp"

namespace fastthread {

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  std::string out;
};

// Options as a client spells them; a spelling from_json refuses fails the test.
inline JobOptions options_from(const nlohmann::json& json) {
  std::string error;
  auto options = JobOptions::from_json(json, error);
  EXPECT_TRUE(options) << error;
  return options.value_or(JobOptions{});
}

}  // namespace fastthread
