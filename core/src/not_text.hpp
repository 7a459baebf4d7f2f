// Recognising input that is not text, so that it is refused rather than parsed as one
// column of garbage (internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fastthread/encoding.hpp"

namespace fastthread::detail {

// A message naming what `head` (the first bytes of the input) looks like when it is not
// text, or nullopt. Known signatures ("magic numbers") first: images (PNG, JPEG, GIF,
// WebP), PDF, zip (named an Excel workbook or Word document when its first entries are
// xl/ or word/ parts), OLE compound files (old .xls/.doc), compressed streams (gzip, zstd
// and, named as not decompressed by FastThread, xz and bzip2), 7-Zip, tar, ELF, SQLite,
// UTF-32. Then, for a single-byte or UTF-8 reading, a NUL byte in the first kBinaryScan
// bytes, as git decides a file is binary (UTF-16 has its zero bytes explained).
inline constexpr std::size_t kBinaryScan = 8000;
std::optional<std::string> describe_not_text(std::string_view head, Encoding encoding);

}  // namespace fastthread::detail
