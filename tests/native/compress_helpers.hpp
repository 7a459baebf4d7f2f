// gzip and zstd made in-process for the tests (the test data folder holds no compressed
// files: tests/wasm/compare.sh runs the core-only WebAssembly build over it).
#pragma once

#include <zlib.h>
#include <zstd.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace fastthread::testing {

// One gzip member of `plain`.
inline std::string gzip(std::string_view plain, int level = 6) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&z, plain.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(plain.data()));
  z.avail_in = static_cast<uInt>(plain.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("deflate");
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// One gzip member of `bytes` newlines (text, as blank lines: a bomb the input stage does not
// refuse as binary first), made without holding them.
inline std::string gzip_of_blank_lines(std::uint64_t bytes) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE) != Z_OK) throw std::runtime_error("deflateInit2");
  const std::string zeros(1 << 20, '\n');
  std::string out, buffer(1 << 16, '\0');
  for (std::uint64_t left = bytes;;) {
    const auto n = static_cast<uInt>(std::min<std::uint64_t>(left, zeros.size()));
    left -= n;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zeros.data()));
    z.avail_in = n;
    const int flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer.data());
      z.avail_out = static_cast<uInt>(buffer.size());
      rc = deflate(&z, flush);
      out.append(buffer.data(), buffer.size() - z.avail_out);
    } while (z.avail_out == 0);
    if (left == 0 && rc == Z_STREAM_END) break;
  }
  deflateEnd(&z);
  return out;
}

// One zstd frame of `plain`.
inline std::string zstd(std::string_view plain, int level = 3) {
  std::string out(ZSTD_compressBound(plain.size()), '\0');
  const std::size_t n = ZSTD_compress(out.data(), out.size(), plain.data(), plain.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

}  // namespace fastthread::testing
