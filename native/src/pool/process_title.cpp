#include "pool/process_title.hpp"

#include <sys/prctl.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace fastthread::pool {

ProcessTitle::ProcessTitle(int argc, char** argv) {
  if (argc <= 0 || argv == nullptr || argv[0] == nullptr) return;
  area_ = argv[0];
  char* end = argv[0] + std::strlen(argv[0]) + 1;
  // Only the arguments that follow one another directly belong to the block.
  for (int i = 1; i < argc && argv[i] == end; ++i) end = argv[i] + std::strlen(argv[i]) + 1;
  size_ = static_cast<std::size_t>(end - area_);
}

void ProcessTitle::set(std::string_view title) {
  if (size_ == 0) return;
  const std::size_t n = std::min(title.size(), size_ - 1);
  std::memcpy(area_, title.data(), n);
  std::memset(area_ + n, 0, size_ - n);
}

void set_thread_name(std::string_view name) {
  std::string shortened(name.substr(0, 15));
  ::prctl(PR_SET_NAME, shortened.c_str(), 0, 0, 0);
}

}  // namespace fastthread::pool
