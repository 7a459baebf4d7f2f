#include "server/spool_file.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "server/hex.hpp"

namespace fastthread::server {

struct SpoolFile::Hasher {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Hasher() {
    if (ctx) EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  }
  ~Hasher() { EVP_MD_CTX_free(ctx); }
  void update(std::string_view bytes) {
    if (ctx) EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
  }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (!ctx || EVP_DigestFinal_ex(ctx, digest, &size) != 1) return "";
    return to_hex(digest, size);
  }
};

SpoolFile::SpoolFile(std::string path) : path_(std::move(path)), hasher_(std::make_unique<Hasher>()) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error_ = "cannot create " + path_ + ": " + std::strerror(errno);
    open_ = false;
    return;
  }
  ::close(fd);
}

SpoolFile::~SpoolFile() = default;

bool SpoolFile::append(std::string_view bytes) {
  if (!open_ || !hasher_) return false;
  if (bytes.empty()) return true;
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) {
    error_ = "opening " + path_ + ": " + std::strerror(errno);
    return false;
  }
  hasher_->update(bytes);
  bytes_ += bytes.size();
  bool ok = true;
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = "writing " + path_ + ": " + (n < 0 ? std::strerror(errno) : "nothing written");
      ok = false;
      break;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  ::close(fd);
  return ok;
}

std::string SpoolFile::finish() {
  open_ = false;
  if (!hasher_) return "";
  std::string digest = hasher_->hex();
  // A queued job keeps its spool file for the worker, not the digest's state.
  hasher_.reset();
  return digest;
}

void SpoolFile::remove() {
  open_ = false;
  ::unlink(path_.c_str());
}

}  // namespace fastthread::server
