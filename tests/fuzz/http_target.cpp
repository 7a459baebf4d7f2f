// HTTP request targets (native/src/server/http_target.cpp): percent-decoding and the
// split into path and query. Beyond not crashing: what is decoded is UTF-8 without NUL,
// and what percent_decode gives back is what percent-encoding every byte of it decodes to.
// Input: [option byte][the target].
#include "server/http_target.hpp"

#include <cstdio>
#include <cstdlib>

#include "utf8.hpp"

namespace {

using fastthread::server::parse_target;
using fastthread::server::percent_decode;

void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "http_target: %s\n", what);
  std::abort();
}

std::string encode_every_byte(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool plus_is_space = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  if (auto decoded = percent_decode(text, plus_is_space)) {
    expect(decoded->size() <= text.size(), "decoding made the text longer");
    expect(decoded->find('\0') == std::string::npos, "a decoded NUL");
    expect(fastthread::detail::find_invalid_utf8(*decoded) == std::string::npos,
           "decoded text that is not UTF-8");
    auto again = percent_decode(encode_every_byte(*decoded), plus_is_space);
    expect(again && *again == *decoded, "percent-encoding does not decode back");
  }

  if (auto target = parse_target(text)) {
    expect(!text.empty() && text[0] == '/', "a target that does not start with '/'");
    expect(target->path.find('\0') == std::string::npos, "a NUL in the path");
    expect(fastthread::detail::find_invalid_utf8(target->path) == std::string::npos,
           "a path that is not UTF-8");
    for (const auto& [key, value] : target->query) {
      expect(key.find('\0') == std::string::npos && value.find('\0') == std::string::npos,
             "a NUL in the query");
    }
  }
  return 0;
}
