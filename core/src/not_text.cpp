#include "not_text.hpp"

#include <cstdint>

namespace fastthread::detail {
namespace {

constexpr const char* kWhatWeRead = "FastThread reads CSV/TSV, NDJSON/JSON and access logs";

struct Signature {
  std::size_t offset;
  std::string_view bytes;
  const char* looks_like;  // completes "the file looks like ..."
};

using namespace std::string_view_literals;
constexpr Signature kSignatures[] = {
    {0, "\x89PNG\r\n\x1a\n"sv, "a PNG image"},
    {0, "\xFF\xD8\xFF"sv, "a JPEG image"},
    {0, "GIF87a"sv, "a GIF image"},
    {0, "GIF89a"sv, "a GIF image"},
    {8, "WEBP"sv, "a WebP image"},  // after "RIFF" and a size, checked below
    {0, "%PDF-"sv, "a PDF document"},
    {0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"sv, "an old Office document such as an Excel .xls (OLE compound file)"},
    {0, "7z\xBC\xAF\x27\x1C"sv, "a 7-Zip archive"},
    {257, "ustar"sv, "a tar archive"},
    {0, "\x7F" "ELF"sv, "an ELF executable"},
    {0, "SQLite format 3\0"sv, "an SQLite database"},
    {0, "\xFF\xFE\0\0"sv, "UTF-32 text, which FastThread does not read (save it as UTF-8 or UTF-16)"},
    {0, "\0\0\xFE\xFF"sv, "UTF-32 text, which FastThread does not read (save it as UTF-8 or UTF-16)"},
};

std::string looks_like(std::string_view what) {
  return "the file looks like " + std::string(what) + ", not text: " + kWhatWeRead;
}

std::optional<std::string> compressed(std::string_view head) {
  // gzip and zstd are what the hosts decompress; reaching the core, they were not.
  if (head.starts_with("\x1F\x8B"sv) || head.starts_with("\x28\xB5\x2F\xFD"sv)) {
    const char* name = head[0] == '\x1F' ? "gzip" : "zstd";
    return std::string("the file is ") + name + "-compressed and the host did not decompress it: " + kWhatWeRead +
           " as text";
  }
  const bool xz = head.starts_with("\xFD" "7zXZ\0"sv);
  const bool bzip2 = head.size() >= 10 && head.starts_with("BZh"sv) && head[3] >= '1' && head[3] <= '9' &&
                     head.substr(4, 6) == "1AY&SY"sv;
  if (xz || bzip2) {
    return std::string("the file is ") + (xz ? "xz" : "bzip2") +
           "-compressed, which FastThread does not decompress; decompress it first (" + kWhatWeRead + ")";
  }
  return std::nullopt;
}

std::optional<std::string> zip(std::string_view head) {
  if (!head.starts_with("PK\x03\x04"sv) && !head.starts_with("PK\x05\x06"sv) && !head.starts_with("PK\x07\x08"sv)) {
    return std::nullopt;
  }
  // An Office file is a zip whose first entries name its parts.
  const std::string_view start = head.substr(0, 4096);
  if (start.find("xl/"sv) != std::string_view::npos) return looks_like("an Excel workbook (.xlsx, a zip archive)");
  if (start.find("word/"sv) != std::string_view::npos) return looks_like("a Word document (.docx, a zip archive)");
  return looks_like("a zip archive");
}

}  // namespace

std::optional<std::string> describe_not_text(std::string_view head, Encoding encoding) {
  if (auto message = compressed(head)) return message;
  if (auto message = zip(head)) return message;
  for (const Signature& s : kSignatures) {
    if (head.size() < s.offset + s.bytes.size() || head.substr(s.offset, s.bytes.size()) != s.bytes) continue;
    if (s.bytes == "WEBP"sv && !head.starts_with("RIFF"sv)) continue;
    return looks_like(s.looks_like);
  }
  if (encoding == Encoding::utf16le || encoding == Encoding::utf16be) return std::nullopt;
  const std::size_t nul = head.substr(0, kBinaryScan).find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  return looks_like("binary data (a NUL byte at offset " + std::to_string(nul) + ")");
}

}  // namespace fastthread::detail
