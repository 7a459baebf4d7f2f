#include "progress_bar.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace fastthread::cli {
namespace {

std::string format_eta(double seconds) {
  if (seconds < 0 || seconds > 360000) return "--:--";
  auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  }
  return buf;
}

}  // namespace

ProgressBar::ProgressBar(bool enabled, std::uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {}

void ProgressBar::update(const Progress& progress) {
  if (!enabled_) return;
  auto now = Clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(progress);
}

void ProgressBar::draw(const Progress& progress) {
  const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
  const double mb = static_cast<double>(progress.bytes) / 1e6;
  const double rate = elapsed > 0 ? mb / elapsed : 0;
  char line[160];
  if (total_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(progress.bytes) / static_cast<double>(total_));
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(kWidth - filled), '.');
    const double remaining = rate > 0 ? (static_cast<double>(total_ - std::min(total_, progress.bytes)) / 1e6) / rate : -1;
    std::snprintf(line, sizeof line, "\r[%s] %5.1f%%  %8.1f MB/s  %llu rows  ETA %s ", bar.c_str(), fraction * 100,
                  rate, static_cast<unsigned long long>(progress.rows), format_eta(remaining).c_str());
  } else {
    std::snprintf(line, sizeof line, "\r%10.1f MB  %8.1f MB/s  %llu rows ", mb, rate,
                  static_cast<unsigned long long>(progress.rows));
  }
  std::fputs(line, stderr);
  drawn_ = true;
}

void ProgressBar::done() {
  if (enabled_ && drawn_) std::fputs("\r\033[K", stderr);
}

}  // namespace fastthread::cli
