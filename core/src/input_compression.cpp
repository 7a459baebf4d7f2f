#include "input_compression.hpp"

#include <string>

namespace fastthread {

std::string_view to_string(Compression compression) {
  switch (compression) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "none";
}

namespace detail {

std::optional<JobError> check_decompression_limits(const Limits& limits, Compression codec,
                                                   std::uint64_t compressed, std::uint64_t decompressed) {
  const std::string where = "; stopped after reading " + std::to_string(compressed) + " compressed bytes";
  const std::string input = "the " + std::string(to_string(codec)) + " input";
  if (decompressed > limits.max_decompressed_bytes) {
    return JobError{ErrorCode::too_large,
                    input + " decompresses to more than " + std::to_string(limits.max_decompressed_bytes) +
                        " bytes (limits.max_decompressed_bytes)" + where,
                    std::nullopt};
  }
  // decompressed > ratio * compressed, by division: the product may overflow.
  const bool over_ratio = compressed == 0 || decompressed / compressed > limits.max_expansion_ratio ||
                          (decompressed / compressed == limits.max_expansion_ratio && decompressed % compressed != 0);
  if (decompressed > kExpansionCheckAfterBytes && over_ratio) {
    return JobError{ErrorCode::too_large,
                    input + " expands more than " + std::to_string(limits.max_expansion_ratio) +
                        " times (limits.max_expansion_ratio): " + std::to_string(decompressed) + " bytes from " +
                        std::to_string(compressed) + " compressed" + where,
                    std::nullopt};
  }
  return std::nullopt;
}

std::string_view name_without_compression_suffix(std::string_view name, Compression codec) {
  auto strip = [&](std::string_view suffix) {
    if (name.size() <= suffix.size()) return false;
    const std::string_view tail = name.substr(name.size() - suffix.size());
    for (std::size_t i = 0; i < suffix.size(); ++i) {
      const char c = tail[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != suffix[i]) return false;
    }
    name.remove_suffix(suffix.size());
    return true;
  };
  if (codec == Compression::gzip) strip(".gz") || strip(".gzip");
  if (codec == Compression::zstd) strip(".zst") || strip(".zstd");
  return name;
}

}  // namespace detail
}  // namespace fastthread
