#include "fastthread/columns.hpp"

namespace fastthread {

std::size_t Columns::intern(std::string_view name) {
  std::string key(name);
  auto [it, inserted] = index_.try_emplace(std::move(key), names_.size());
  if (inserted) names_.emplace_back(name);
  return it->second;
}

std::size_t Columns::find(std::string_view name) const {
  auto it = index_.find(std::string(name));
  return it == index_.end() ? npos : it->second;
}

}  // namespace fastthread
