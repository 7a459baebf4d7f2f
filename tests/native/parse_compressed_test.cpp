// `fastthread parse` of gzip and zstd files and streams: the real binary gives the plain
// file's output and summary (but for the file entry), at every --chunk-size; broken
// compressed data and decompression bombs end the job with a reason and exit code 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "compress_helpers.hpp"
#include "process.hpp"

namespace fastthread::testing {
namespace {

struct Parsed {
  ProcessResult process;
  nlohmann::ordered_json summary;
  std::string output;
};

// Runs `fastthread parse INPUT ARGS... -o OUT --summary S -q` ("-" reads `stdin_path`).
Parsed parse(TempDir& dir, const std::string& input, std::vector<std::string> args = {},
             const std::string& stdin_path = "/dev/null") {
  std::vector<std::string> all = {"parse", input};
  all.insert(all.end(), args.begin(), args.end());
  all.insert(all.end(), {"-o", dir.path("out"), "--summary", dir.path("summary.json"), "-q", "--no-progress"});
  std::filesystem::remove(dir.path("out"));
  std::filesystem::remove(dir.path("summary.json"));
  Parsed p{run_fastthread(all, stdin_path), {}, {}};
  if (std::filesystem::exists(dir.path("summary.json"))) {
    p.summary = nlohmann::ordered_json::parse(dir.read("summary.json"));
    p.summary.erase("timings");
  }
  if (std::filesystem::exists(dir.path("out"))) p.output = dir.read("out");
  return p;
}

// What plain and compressed runs share: everything but the file entry.
std::string shared_part(const Parsed& p) {
  auto s = p.summary;
  s.erase("file");
  return s.dump(1) + "\n---\n" + p.output;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sample_csv(int rows) {
  std::string csv = "id,city,temp\n";
  for (int i = 0; i < rows; ++i) {
    csv += std::to_string(i) + "," + (i % 3 ? "Oslo" : "\"Lima, Peru\"") + "," + std::to_string(i % 40 - 7) + ".5\n";
  }
  return csv;
}

// Every file of the test data, gzip'd and zstd'd under its own name plus the suffix:
// the same rows, statistics, errors and output as the plain file.
TEST(ParseCompressed, EveryTestFileGivesThePlainResult) {
  TempDir dir;
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> chunk(1, 5000);
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(FASTTHREAD_TEST_DATA)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".expected") continue;
    const std::string name = entry.path().filename().string();
    const std::string plain_bytes = read_file(entry.path());
    // A compressed test file compressed again is decompressed once: not its plain result.
    if (plain_bytes.rfind("\x1f\x8b", 0) == 0 || plain_bytes.rfind("\x28\xb5\x2f\xfd", 0) == 0) continue;
    dir.write(name, plain_bytes);
    const Parsed plain = parse(dir, dir.path(name), {"--to", "csv", "--max-errors", "-1"});
    for (const char* suffix : {".gz", ".zst"}) {
      const std::string packed = std::string(suffix) == ".gz" ? gzip(plain_bytes) : zstd(plain_bytes);
      dir.write(name + suffix, packed);
      const Parsed compressed = parse(dir, dir.path(name + suffix),
                                      {"--to", "csv", "--max-errors", "-1", "--chunk-size", std::to_string(chunk(rng))});
      EXPECT_EQ(compressed.process.exit_code, plain.process.exit_code) << name << suffix;
      EXPECT_EQ(shared_part(compressed), shared_part(plain)) << name << suffix;
      EXPECT_EQ(compressed.summary["file"]["compression"], std::string(suffix) == ".gz" ? "gzip" : "zstd");
      EXPECT_EQ(compressed.summary["file"]["compressed_bytes"], packed.size());
      EXPECT_EQ(compressed.summary["file"]["bytes"], plain.summary["file"]["bytes"]);
    }
    EXPECT_EQ(plain.summary["file"]["compression"], "none") << name;
    EXPECT_FALSE(plain.summary["file"].contains("compressed_bytes"));
    ++files;
  }
  EXPECT_GT(files, 20);
}

TEST(ParseCompressed, EveryChunkSizeAndStandardInputGiveTheSameResult) {
  TempDir dir;
  const std::string csv = sample_csv(40000);
  // Two members, as `cat a.gz b.gz` makes.
  dir.write("sales.csv.gz", gzip(csv.substr(0, 250000)) + gzip(csv.substr(250000), 9));
  dir.write("sales.csv", csv);
  const Parsed plain = parse(dir, dir.path("sales.csv"));
  ASSERT_EQ(plain.process.exit_code, 0) << plain.process.err;
  const Parsed whole = parse(dir, dir.path("sales.csv.gz"));
  ASSERT_EQ(whole.process.exit_code, 0) << whole.process.err;
  EXPECT_EQ(shared_part(whole), shared_part(plain));
  EXPECT_EQ(whole.summary["file"]["compressed_bytes"], std::filesystem::file_size(dir.path("sales.csv.gz")));
  for (const char* size : {"1", "3", "4095", "65536", "65537", "200000"}) {
    const Parsed p = parse(dir, dir.path("sales.csv.gz"), {"--chunk-size", size});
    EXPECT_EQ(p.summary, whole.summary) << size;
    EXPECT_TRUE(p.output == whole.output) << size;
  }
  // From standard input: the same, named as given.
  const Parsed piped = parse(dir, "-", {"--name", dir.path("sales.csv.gz")}, dir.path("sales.csv.gz"));
  EXPECT_EQ(piped.process.exit_code, 0) << piped.process.err;
  EXPECT_EQ(piped.summary, whole.summary);
  EXPECT_TRUE(piped.output == whole.output);
  // What zcat makes of it is plain input, read as before.
  const Parsed unzipped = parse(dir, "-", {"--name", dir.path("sales.csv")}, dir.path("sales.csv"));
  EXPECT_EQ(unzipped.summary, plain.summary);
}

TEST(ParseCompressed, ZstdFileAndStream) {
  TempDir dir;
  const std::string csv = sample_csv(20000);
  dir.write("t.csv", csv);
  dir.write("t.csv.zst", zstd(csv.substr(0, 100000)) + zstd(csv.substr(100000)));
  const Parsed plain = parse(dir, dir.path("t.csv"));
  const Parsed file = parse(dir, dir.path("t.csv.zst"), {"--chunk-size", "777"});
  ASSERT_EQ(file.process.exit_code, 0) << file.process.err;
  EXPECT_EQ(shared_part(file), shared_part(plain));
  EXPECT_EQ(file.summary["file"]["compression"], "zstd");
  const Parsed piped = parse(dir, "-", {"--name", dir.path("t.csv.zst")}, dir.path("t.csv.zst"));
  EXPECT_EQ(piped.summary, file.summary);
}

TEST(ParseCompressed, TruncatedGzipExitsOneAndIsNotDone) {
  TempDir dir;
  const std::string gz = gzip(sample_csv(5000));
  dir.write("cut.csv.gz", gz.substr(0, gz.size() / 2));
  for (const char* size : {"1", "1000", "1048576"}) {
    const Parsed p = parse(dir, dir.path("cut.csv.gz"), {"--chunk-size", size});
    EXPECT_EQ(p.process.exit_code, 1) << size;
    EXPECT_EQ(p.summary["status"], "failed");
    EXPECT_EQ(p.summary["error"]["code"], "corrupt_input");
    EXPECT_EQ(p.summary["error"]["message"], "the gzip data is truncated: it ends at compressed byte " +
                                                 std::to_string(gz.size() / 2) +
                                                 " inside the gzip member that starts at compressed byte 0");
  }
  // Without -q the reason is on stderr too.
  auto r = run_fastthread({"parse", dir.path("cut.csv.gz"), "--to", "none"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("the gzip data is truncated"), std::string::npos) << r.err;
}

TEST(ParseCompressed, CorruptGzipExitsOneNamingTheOffset) {
  TempDir dir;
  std::string gz = gzip(sample_csv(5000));
  for (std::size_t i = 1000; i < 1010; ++i) gz[i] = static_cast<char>(~gz[i]);
  dir.write("bad.csv.gz", gz);
  const Parsed p = parse(dir, dir.path("bad.csv.gz"));
  EXPECT_EQ(p.process.exit_code, 1);
  EXPECT_EQ(p.summary["status"], "failed");
  EXPECT_NE(p.summary["error"]["message"].get<std::string>().find("the gzip data is corrupt at compressed byte "),
            std::string::npos)
      << p.summary["error"];
  EXPECT_EQ(parse(dir, dir.path("bad.csv.gz"), {"--chunk-size", "13"}).summary, p.summary);
}

TEST(ParseCompressed, ABombStopsEarlyWithTooLargeAndExitsOne) {
  TempDir dir;
  dir.write("zeros.csv.gz", gzip_of_blank_lines(1ull << 30));
  const Parsed p = parse(dir, dir.path("zeros.csv.gz"), {"--to", "ndjson"});
  EXPECT_EQ(p.process.exit_code, 1);
  EXPECT_EQ(p.summary["status"], "failed");
  EXPECT_EQ(p.summary["error"]["code"], "too_large");
  EXPECT_NE(p.summary["error"]["message"].get<std::string>().find("limits.max_expansion_ratio"), std::string::npos);
  EXPECT_LT(p.summary["file"]["bytes"].get<std::uint64_t>(), 2u << 20);
  EXPECT_EQ(p.summary["options"]["limits"]["max_expansion_ratio"], 1000);

  // Both limits are flags.
  // Past the first MiB, where the ratio begins to count.
  const std::string csv = sample_csv(150000);
  ASSERT_GT(csv.size(), 2u << 20);
  dir.write("big.csv.gz", gzip(csv));
  const Parsed sized = parse(dir, dir.path("big.csv.gz"), {"--max-decompressed-bytes", "100000"});
  EXPECT_EQ(sized.process.exit_code, 1);
  EXPECT_EQ(sized.summary["error"]["code"], "too_large");
  EXPECT_NE(sized.summary["error"]["message"].get<std::string>().find("limits.max_decompressed_bytes"),
            std::string::npos);
  const Parsed ratio = parse(dir, dir.path("big.csv.gz"), {"--max-expansion-ratio", "2"});
  EXPECT_EQ(ratio.process.exit_code, 1);
  EXPECT_EQ(ratio.summary["options"]["limits"]["max_expansion_ratio"], 2);
  EXPECT_EQ(parse(dir, dir.path("big.csv.gz"), {"--max-expansion-ratio", "100"}).process.exit_code, 0);
}

TEST(ParseCompressed, HelpNamesTheLimitFlags) {
  auto r = run_fastthread({"parse", "--help"});
  EXPECT_NE(r.out.find("--max-decompressed-bytes"), std::string::npos);
  EXPECT_NE(r.out.find("--max-expansion-ratio"), std::string::npos);
  EXPECT_NE(r.out.find("gzip or zstd"), std::string::npos);
}

}  // namespace
}  // namespace fastthread::testing
