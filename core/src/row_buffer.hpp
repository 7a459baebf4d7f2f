// Rows held back until output column types are decided (internal).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "fastthread/field.hpp"
#include "fastthread/value.hpp"

namespace fastthread::detail {

// Copies rows (fields + their classifications) into one arena so that the first rows of
// a file can be written after their column types are known. Bounded by the caller.
class RowBuffer {
 public:
  void push(std::span<const Field> fields, std::span<const Value> values) {
    rows_.push_back({cells_.size(), fields.size()});
    for (std::size_t i = 0; i < fields.size(); ++i) {
      cells_.push_back({text_.size(), fields[i].text.size(), fields[i].kind, values[i]});
      text_.append(fields[i].text);
    }
  }

  // Calls `fn(fields, values)` for every row in order, then empties the buffer.
  template <typename Fn>
  void drain(Fn&& fn) {
    std::vector<Field> fields;
    std::vector<Value> values;
    for (const RowSpan& row : rows_) {
      fields.clear();
      values.clear();
      for (std::size_t i = row.first; i < row.first + row.count; ++i) {
        const Cell& c = cells_[i];
        fields.push_back({std::string_view(text_).substr(c.offset, c.length), c.kind});
        values.push_back(c.value);
      }
      fn(std::span<const Field>(fields), std::span<const Value>(values));
    }
    rows_.clear();
    cells_.clear();
    text_.clear();
    text_.shrink_to_fit();
  }

  std::size_t rows() const { return rows_.size(); }
  std::uint64_t bytes() const { return text_.size() + cells_.size() * sizeof(Cell); }

 private:
  struct RowSpan {
    std::size_t first, count;
  };
  struct Cell {
    std::size_t offset, length;
    FieldKind kind;
    Value value;
  };
  std::vector<RowSpan> rows_;
  std::vector<Cell> cells_;
  std::string text_;
};

}  // namespace fastthread::detail
