// What `ps` shows for a worker: its argv memory is overwritten with a title.
#pragma once

#include <cstddef>
#include <string_view>

namespace fastthread::pool {

// The argv strings of a process lie back to back in one block, which /proc/<pid>/cmdline
// (and so `ps`) reads. A title is written over that block, cut to its size and padded with
// NULs; the environment after it is left alone, so a title never grows past the original
// command line. Use only in a worker: the master's argv must stay readable.
class ProcessTitle {
 public:
  // argc/argv as main() got them; with argc == 0 or argv == nullptr titles are not shown.
  ProcessTitle(int argc, char** argv);
  void set(std::string_view title);
  std::size_t capacity() const { return size_ == 0 ? 0 : size_ - 1; }

 private:
  char* area_ = nullptr;
  std::size_t size_ = 0;  // bytes from argv[0] to the NUL after the last contiguous argument
};

// The kernel's short name of the calling thread (top, ps -o comm): at most 15 bytes.
void set_thread_name(std::string_view name);

}  // namespace fastthread::pool
