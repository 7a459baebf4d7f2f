// The column list a parser builds: positional for CSV/logs, discovered for JSON.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace fastthread {

// Names in first-seen order; a column is never removed or renumbered, so an index handed
// out once stays valid for the whole job.
class Columns {
 public:
  // Index of `name`, adding it at the end if it is new.
  std::size_t intern(std::string_view name);
  // Index of `name`, or npos.
  std::size_t find(std::string_view name) const;
  const std::string& name(std::size_t index) const { return names_[index]; }
  const std::vector<std::string>& names() const { return names_; }
  std::size_t size() const { return names_.size(); }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
};

}  // namespace fastthread
