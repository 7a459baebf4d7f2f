// An upload on its way to disk: bytes are appended to the spool file as they arrive and
// hashed (SHA-256) on the way, so memory stays bounded whatever the file size. The file is
// opened for each append only: a thousand uploads waiting for bytes hold no descriptor.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace fastthread::server {

class SpoolFile {
 public:
  // Creates (truncates) `path`; check error() afterwards.
  explicit SpoolFile(std::string path);
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Writes all of `bytes` (blocking; the caller reads no more until it returns).
  bool append(std::string_view bytes);
  // Closes the file and returns the digest as 64 lowercase hex digits.
  std::string finish();
  // Closes and deletes the file (an abandoned or cancelled upload).
  void remove();

  std::uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  struct Hasher;
  std::string path_;
  bool open_ = true;  // not finished or removed
  std::uint64_t bytes_ = 0;
  std::unique_ptr<Hasher> hasher_;
  std::string error_;
};

}  // namespace fastthread::server
