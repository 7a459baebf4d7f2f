// A one-line progress bar with throughput and ETA on stderr (internal to the CLI).
#pragma once

#include <chrono>
#include <cstdint>

#include "fastthread/job.hpp"

namespace fastthread::cli {

// Redraws at most ten times a second; does nothing when disabled (stderr not a terminal).
class ProgressBar {
 public:
  ProgressBar(bool enabled, std::uint64_t total_bytes);
  void update(const Progress& progress);
  // Clears the line so the final report starts on a clean one.
  void done();

 private:
  using Clock = std::chrono::steady_clock;
  void draw(const Progress& progress);

  bool enabled_;
  std::uint64_t total_;
  Clock::time_point started_ = Clock::now();
  Clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace fastthread::cli
