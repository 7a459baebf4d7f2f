// `fastthread-wasm-parse FILE TO SUMMARY OUT`: runs one job on FILE in WebAssembly under
// node and writes the summary (without timings) and the transformed output, so a test
// can compare them with the native program's.
#include <cstdio>
#include <string>
#include <vector>

#include "fastthread/job.hpp"
#include "fastthread/pretty_json.hpp"

namespace {

class FileSink final : public fastthread::OutputSink {
 public:
  explicit FileSink(std::FILE* f) : file_(f) {}
  void write(std::string_view bytes) override { std::fwrite(bytes.data(), 1, bytes.size(), file_); }

 private:
  std::FILE* file_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: fastthread-wasm-parse FILE TO CHUNK SUMMARY OUT\n");
    return 2;
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  std::FILE* out = std::fopen(argv[5], "wb");
  if (!in || !out) {
    std::fprintf(stderr, "fastthread-wasm-parse: cannot open %s or %s\n", argv[1], argv[5]);
    return 3;
  }
  std::string error;
  auto options = fastthread::JobOptions::from_json({{"name", argv[1]}, {"to", argv[2]}}, error);
  if (!options) {
    std::fprintf(stderr, "fastthread-wasm-parse: %s\n", error.c_str());
    return 2;
  }
  FileSink sink(out);
  fastthread::Job job(*options, sink);
  std::vector<char> buffer(std::stoul(argv[3]));
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), in)) > 0) {
    if (!job.feed(std::string_view(buffer.data(), n))) break;
  }
  fastthread::Result result = job.finish();
  result.summary.erase("timings");
  std::FILE* summary = std::fopen(argv[4], "wb");
  if (!summary) return 3;
  // The native program's layout, so the two summaries compare byte for byte.
  std::string text = fastthread::pretty_json(result.summary) + "\n";
  std::fwrite(text.data(), 1, text.size(), summary);
  std::fclose(summary);
  std::fclose(out);
  std::fclose(in);
  return result.state == fastthread::JobState::done ? 0 : 1;
}
