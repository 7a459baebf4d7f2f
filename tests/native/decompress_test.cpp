// The hosts' decompression (native/src/decompress/): gzip and zstd known by their magic
// numbers, fed to a Job in any chunking with the same summary and output as the plain
// bytes; truncated or corrupt data and decompression bombs stop the job with a reason.
#include <gtest/gtest.h>

#include <random>

#include "compress_helpers.hpp"
#include "decompress/decoder.hpp"
#include "decompress/job_input.hpp"
#include "split_harness.hpp"

namespace fastthread::testing {
namespace {

using decompress::detect;
using decompress::JobInput;

class StringSink final : public OutputSink {
 public:
  void write(std::string_view bytes) override { out.append(bytes); }
  std::string out;
};

JobOptions options_from(nlohmann::json json) {
  std::string error;
  auto options = JobOptions::from_json(json, error);
  EXPECT_TRUE(options) << error;
  return options.value_or(JobOptions{});
}

struct Outcome {
  nlohmann::ordered_json summary;  // timings aside
  std::string output;
  std::string text() const { return summary.dump(1) + "\n---\n" + output; }
};

Outcome run(const JobOptions& options, const std::vector<std::string_view>& chunks) {
  StringSink sink;
  Job job(options, sink);
  JobInput input(job);
  bool going = true;
  for (auto chunk : chunks) {
    if (!(going = input.feed(chunk))) break;
  }
  if (going) input.finish();
  Result result = job.finish();
  result.summary.erase("timings");
  return {std::move(result.summary), std::move(sink.out)};
}

Outcome run_whole(const JobOptions& options, std::string_view bytes) { return run(options, {bytes}); }

// The summary without the file entry, which is where compressed and plain differ.
std::string without_file(Outcome r) {
  r.summary.erase("file");
  return r.text();
}

std::string sample_csv(int rows) {
  std::string csv = "id,city,temp,note\n";
  for (int i = 0; i < rows; ++i) {
    csv += std::to_string(i) + "," + (i % 3 ? "Oslo" : "\"Lima, Peru\"") + "," + std::to_string(i % 40 - 7) + "." +
           std::to_string(i % 10) + ",\"line " + std::to_string(i * 7919 % 1000) + "\"\n";
  }
  return csv;
}

TEST(Decompress, TheMagicNumberDecidesNotTheName) {
  EXPECT_EQ(detect("\x1f\x8b\x08", false), Compression::gzip);
  EXPECT_EQ(detect("\x28\xb5\x2f\xfd\x00", false), Compression::zstd);
  EXPECT_EQ(detect("id,name\n", false), Compression::none);
  // Too short to tell, unless nothing more comes.
  EXPECT_EQ(detect("\x1f", false), std::nullopt);
  EXPECT_EQ(detect("\x28\xb5\x2f", false), std::nullopt);
  EXPECT_EQ(detect("\x28\xb5\x2f", true), Compression::none);
  EXPECT_EQ(detect("", true), Compression::none);
  EXPECT_EQ(detect("\x1f\x8c", false), Compression::none);
}

TEST(Decompress, GzipGivesThePlainResultInEveryChunking) {
  const std::string csv = sample_csv(30000);  // ~0.8 MB: many 64 KiB blocks
  const std::string gz = gzip(csv);
  const JobOptions options = options_from({{"name", "t.csv"}});
  const Outcome plain = run_whole(options, csv);
  const std::string whole = expect_split_invariant(
      gz, [&](const std::vector<std::string_view>& chunks) { return run(options, chunks).text(); }, 20);
  const Outcome compressed = run_whole(options, gz);
  EXPECT_EQ(compressed.text(), whole);
  EXPECT_EQ(without_file(compressed), without_file(plain));
  EXPECT_EQ(compressed.summary["status"], "done");
  EXPECT_EQ(compressed.summary["file"]["compression"], "gzip");
  EXPECT_EQ(compressed.summary["file"]["compressed_bytes"], gz.size());
  EXPECT_EQ(compressed.summary["file"]["bytes"], csv.size());
  EXPECT_EQ(plain.summary["file"]["compression"], "none");
  // Big chunks too (the split harness draws small ones).
  std::mt19937_64 rng(7);
  for (int round = 0; round < 5; ++round) {
    EXPECT_EQ(run(options, split(gz, 2, rng, 300000)).text(), whole) << round;
  }
}

TEST(Decompress, GzipMembersOneAfterAnotherAreOneStream) {
  const std::string a = sample_csv(2000), b = sample_csv(5000).substr(18);  // b without its header
  const std::string both = gzip(a) + gzip(b, 1) + gzip("");  // an empty member too
  const JobOptions options = options_from({{"name", "t.csv"}});
  const std::string whole = expect_split_invariant(
      both, [&](const std::vector<std::string_view>& chunks) { return run(options, chunks).text(); }, 20);
  const Outcome r = run_whole(options, both);
  EXPECT_EQ(r.text(), whole);
  EXPECT_EQ(without_file(r), without_file(run_whole(options, a + b)));
  EXPECT_EQ(r.summary["rows"], 7000);
}

TEST(Decompress, ZstdFramesGiveThePlainResultInEveryChunking) {
  const std::string csv = sample_csv(20000);
  const std::string zst = zstd(csv.substr(0, 300000)) + zstd(csv.substr(300000), 19);
  const JobOptions options = options_from({{"name", "t.csv.zst"}});
  const std::string whole = expect_split_invariant(
      zst, [&](const std::vector<std::string_view>& chunks) { return run(options, chunks).text(); }, 20);
  const Outcome r = run_whole(options, zst);
  EXPECT_EQ(r.text(), whole);
  EXPECT_EQ(without_file(r), without_file(run_whole(options_from({{"name", "t.csv"}}), csv)));
  EXPECT_EQ(r.summary["file"]["compression"], "zstd");
  EXPECT_EQ(r.summary["file"]["compressed_bytes"], zst.size());
}

TEST(Decompress, ATruncatedGzipFailsNamingTheCompressedOffset) {
  const std::string gz = gzip(sample_csv(3000));
  const std::string cut = gz.substr(0, gz.size() - 100);
  const JobOptions options = options_from({{"name", "t.csv.gz"}});
  const std::string whole = expect_split_invariant(
      cut, [&](const std::vector<std::string_view>& chunks) { return run(options, chunks).text(); }, 20);
  const Outcome r = run_whole(options, cut);
  EXPECT_EQ(r.text(), whole);
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["code"], "corrupt_input");
  EXPECT_EQ(r.summary["error"]["message"], "the gzip data is truncated: it ends at compressed byte " +
                                               std::to_string(cut.size()) +
                                               " inside the gzip member that starts at compressed byte 0");
  EXPECT_EQ(r.summary["file"]["compressed_bytes"], cut.size());
  // What came before the cut was read.
  EXPECT_GT(r.summary["rows"].get<std::uint64_t>(), 2000u);
  // A lone magic number, and a member cut after its trailer's first byte, are truncated too.
  EXPECT_EQ(run_whole(options, "\x1f\x8b").summary["status"], "failed");
  EXPECT_EQ(run_whole(options, gz.substr(0, gz.size() - 1)).summary["status"], "failed");
}

TEST(Decompress, ATruncatedZstdFails) {
  const std::string zst = zstd(sample_csv(3000));
  const Outcome r = run_whole(options_from({{"name", "t.csv.zst"}}), zst.substr(0, zst.size() - 10));
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["message"], "the zstd data is truncated: it ends at compressed byte " +
                                               std::to_string(zst.size() - 10) +
                                               " inside the zstd frame that starts at compressed byte 0");
}

TEST(Decompress, CorruptGzipFailsNamingTheCompressedOffset) {
  std::string gz = gzip(sample_csv(3000));
  for (std::size_t i = 400; i < 440; ++i) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  const JobOptions options = options_from({{"name", "t.csv.gz"}});
  const std::string whole = expect_split_invariant(
      gz, [&](const std::vector<std::string_view>& chunks) { return run(options, chunks).text(); }, 20);
  const Outcome r = run_whole(options, gz);
  EXPECT_EQ(r.text(), whole);
  EXPECT_EQ(r.summary["status"], "failed");
  const std::string message = r.summary["error"]["message"];
  EXPECT_EQ(message.rfind("the gzip data is corrupt at compressed byte ", 0), 0u) << message;
  const auto at = std::stoull(message.substr(std::string("the gzip data is corrupt at compressed byte ").size()));
  EXPECT_GE(at, 400u);
  EXPECT_LT(at, gz.size());
  // What came out before the corrupt bytes was fed (here fewer than sniff_bytes: no rows yet).
  EXPECT_GT(r.summary["file"]["bytes"].get<std::uint64_t>(), 0u);

  // The CRC in the trailer checks the whole member.
  std::string bad_crc = gzip(sample_csv(10));
  bad_crc[bad_crc.size() - 6] = static_cast<char>(bad_crc[bad_crc.size() - 6] ^ 1);
  const Outcome crc = run_whole(options, bad_crc);
  EXPECT_EQ(crc.summary["status"], "failed");
  EXPECT_NE(crc.summary["error"]["message"].get<std::string>().find("incorrect data check"), std::string::npos)
      << crc.summary["error"];
}

TEST(Decompress, BytesAppendedAfterAGzipMemberAreNamed) {
  const std::string gz = gzip(sample_csv(10));
  const Outcome r = run_whole(options_from({{"name", "t.csv.gz"}}), gz + "not gzip at all\n");
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["message"],
            "the gzip data is corrupt at compressed byte " + std::to_string(gz.size() + 2) +
                " (incorrect header check), in what follows the gzip member that ends at compressed byte " +
                std::to_string(gz.size()) + " (is something other than gzip appended?)");
}

// 1 GiB of newlines, about 1 MB of gzip: stopped by the ratio after the first MiB or so,
// without decompressing the rest.
TEST(Decompress, AGzipBombStopsEarlyWithTooLarge) {
  const std::string bomb = gzip_of_blank_lines(1ull << 30);
  ASSERT_LT(bomb.size(), 1100000u);
  const JobOptions options = options_from({{"name", "zeros.csv.gz"}, {"to", "none"}});
  std::mt19937_64 rng(3);
  const Outcome r = run(options, split(bomb, 2, rng, 100000));
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["code"], "too_large");
  const std::string message = r.summary["error"]["message"];
  EXPECT_EQ(message.rfind("the gzip input expands more than 1000 times (limits.max_expansion_ratio)", 0), 0u)
      << message;
  EXPECT_LT(r.summary["file"]["bytes"].get<std::uint64_t>(), 2u << 20);
  // The same place however the bomb was read.
  EXPECT_EQ(run_whole(options, bomb).text(), r.text());

  // A zstd bomb: far smaller still.
  const std::string zbomb = zstd(std::string(64 << 20, '\n'), 3);
  const Outcome z = run_whole(options_from({{"name", "zeros.csv.zst"}, {"to", "none"}}), zbomb);
  EXPECT_EQ(z.summary["error"]["code"], "too_large") << z.summary["error"];
}

TEST(Decompress, MaxDecompressedBytesStopsAtTheLimit) {
  const std::string csv = sample_csv(20000);
  const JobOptions options =
      options_from({{"name", "t.csv"}, {"to", "none"}, {"limits", {{"max_decompressed_bytes", 200000}}}});
  const Outcome r = run_whole(options, gzip(csv));
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["code"], "too_large");
  EXPECT_NE(r.summary["error"]["message"].get<std::string>().find(
                "decompresses to more than 200000 bytes (limits.max_decompressed_bytes); stopped after reading "),
            std::string::npos);
  EXPECT_LE(r.summary["file"]["bytes"].get<std::uint64_t>(), 200000u);
  // The limit is on decompressed bytes: plain input of any size is not concerned.
  EXPECT_EQ(run_whole(options, csv).summary["status"], "done");
}

}  // namespace
}  // namespace fastthread::testing
