// Buffered output for the row writers: small appends in, sink pieces of about a set size out.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "fastthread/sink.hpp"

namespace fastthread::detail {

// Appends go to one growing block; between rows the writer calls row_done(), which hands
// the block to the sink once it holds at least `piece_bytes`. A piece therefore ends on a
// row boundary and is at most piece_bytes plus one row. The block only grows past its
// start size for a row bigger than a piece, so memory is bounded by the largest row.
class OutputBuffer {
 public:
  OutputBuffer(OutputSink& sink, std::size_t piece_bytes)
      : sink_(sink), piece_bytes_(std::max<std::size_t>(piece_bytes, 1)) {
    // A huge piece size must not mean a huge first allocation: grow on demand instead.
    capacity_ = std::min<std::size_t>(piece_bytes_, std::size_t{1} << 20) + 4096;
    data_.reset(new char[capacity_]);  // not zeroed: every byte is written before it is read
  }

  void put(char c) {
    if (size_ == capacity_) grow(1);
    data_[size_++] = c;
  }
  void append(std::string_view bytes) {
    // An empty view may have no data pointer, which memcpy must never see.
    if (bytes.empty()) return;
    if (capacity_ - size_ < bytes.size()) grow(bytes.size());
    std::memcpy(data_.get() + size_, bytes.data(), bytes.size());
    size_ += bytes.size();
  }
  // Room for `n` bytes written directly; pair with commit().
  char* reserve(std::size_t n) {
    if (capacity_ - size_ < n) grow(n);
    return data_.get() + size_;
  }
  void commit(const char* end) { size_ = static_cast<std::size_t>(end - data_.get()); }

  void row_done() {
    if (size_ >= piece_bytes_) flush();
  }
  void flush() {
    if (size_ == 0) return;
    sink_.write(std::string_view(data_.get(), size_));
    flushed_ += size_;
    size_ = 0;
  }
  // Handed to the sink plus still buffered.
  std::uint64_t bytes() const { return flushed_ + size_; }

 private:
  void grow(std::size_t extra) {
    std::size_t capacity = std::max(capacity_ * 2, size_ + extra);
    std::unique_ptr<char[]> data(new char[capacity]);
    std::memcpy(data.get(), data_.get(), size_);
    data_ = std::move(data);
    capacity_ = capacity;
  }

  OutputSink& sink_;
  std::size_t piece_bytes_;
  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
  std::uint64_t flushed_ = 0;
};

}  // namespace fastthread::detail
