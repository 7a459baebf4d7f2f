#include "pool/process_usage.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace fastthread::pool {

ProcessUsage read_process_usage(pid_t pid) {
  ProcessUsage usage;
  const std::string dir = "/proc/" + std::to_string(pid);
  std::uint64_t size_pages = 0, resident_pages = 0;
  if (std::ifstream statm(dir + "/statm"); statm >> size_pages >> resident_pages) {
    usage.rss_bytes = resident_pages * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  }
  std::ifstream stat_file(dir + "/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: fields are counted after
  // its closing ')'. utime and stime are fields 14 and 15, i.e. the 12th and 13th after it.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return usage;
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 1; i <= 13 && rest >> field; ++i) {
    if (i == 12) utime = std::stoull(field);
    if (i == 13) stime = std::stoull(field);
  }
  usage.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  return usage;
}

}  // namespace fastthread::pool
