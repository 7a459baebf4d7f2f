// fastthread-generate: deterministic benchmark files (see --help).
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "generator.hpp"

namespace {

constexpr const char* kHelp =
    "Usage: fastthread-generate KIND SIZE [--seed N] [-o FILE]\n"
    "\n"
    "Writes deterministic benchmark data: the same KIND, SIZE and seed give the same bytes\n"
    "on every machine.\n"
    "\n"
    "KIND\n"
    "  mixed-csv     id,name,price,qty,active,created,updated,category,comment; quoted names\n"
    "                with commas, doubled quotes and line breaks; empty and NA comments\n"
    "  numeric-csv   id,x,y,z,count,ratio: integers and decimals\n"
    "  ndjson        events with a nested user object, a tag array, nulls and escaped strings\n"
    "  access-log    Combined Log Format lines, as nginx writes them\n"
    "\n"
    "SIZE  bytes to write: digits with an optional K, M or G, then an optional B or iB, any\n"
    "      case. iB counts in 1024s (1GiB = 1073741824), the rest in 1000s (100MB = 100000000,\n"
    "      500k = 500000). Whole rows only: the output is SIZE plus less than one row (CSV\n"
    "      kinds always get their header line).\n"
    "\n"
    "Options\n"
    "  --seed N   PRNG seed (default 1)\n"
    "  -o FILE    write to FILE instead of standard output\n"
    "  -h, --help this text\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "fastthread-generate: %s\nTry 'fastthread-generate --help'.\n", message.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace fastthread::bench;
  std::string_view kind_name, size_text, output_path;
  std::uint64_t seed = 1;
  int positional = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kHelp, stdout);
      return 0;
    }
    if (arg == "--seed" || arg == "-o") {
      if (i + 1 >= argc) return usage_error(std::string(arg) + " needs a value");
      const std::string_view value = argv[++i];
      if (arg == "-o") {
        output_path = value;
        continue;
      }
      const auto result = std::from_chars(value.data(), value.data() + value.size(), seed);
      if (result.ec != std::errc() || result.ptr != value.data() + value.size()) {
        return usage_error("bad seed '" + std::string(value) + "': expected a non-negative integer");
      }
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option '" + std::string(arg) + "'");
    } else if (positional == 0) {
      kind_name = arg;
      ++positional;
    } else if (positional == 1) {
      size_text = arg;
      ++positional;
    } else {
      return usage_error("unexpected argument '" + std::string(arg) + "'");
    }
  }
  if (positional < 2) return usage_error("KIND and SIZE are required");
  const auto kind = parse_data_kind(kind_name);
  if (!kind) {
    return usage_error("unknown kind '" + std::string(kind_name) +
                       "': expected mixed-csv, numeric-csv, ndjson or access-log");
  }
  const auto size = parse_size(size_text);
  if (!size) return usage_error("bad size '" + std::string(size_text) + "': expected e.g. 500k, 100MB, 1GiB");

  std::FILE* file = stdout;
  if (!output_path.empty()) {
    file = std::fopen(std::string(output_path).c_str(), "wb");
    if (file == nullptr) {
      std::fprintf(stderr, "fastthread-generate: cannot open %s: %s\n", std::string(output_path).c_str(),
                   std::strerror(errno));
      return 1;
    }
  }
  const auto write_failed = [] {
    std::fprintf(stderr, "fastthread-generate: write failed: %s\n", std::strerror(errno));
    // Stop at once: generating the rest of a large size for nothing would take minutes.
    std::exit(1);
  };
  generate(*kind, *size, seed, [&](std::string_view block) {
    if (std::fwrite(block.data(), 1, block.size(), file) != block.size()) write_failed();
  });
  if (std::fflush(file) != 0) write_failed();
  if (file != stdout && std::fclose(file) != 0) write_failed();
  return 0;
}
