// Input a host decompressed: the summary names the codec and both sizes, the name's
// codec suffix does not hide its format from the sniffer, and the decompression limits
// stop a job with too_large.
#include <gtest/gtest.h>

#include "job_harness.hpp"

#include "fastthread/job.hpp"
#include "input_compression.hpp"

namespace fastthread {
namespace {

const std::string kCsv = "id;name\n1;apple\n2;pear\n";

TEST(InputCompression, UncompressedInputSaysNoneAndHasNoCompressedBytes) {
  StringSink sink;
  Job job(options_from({{"name", "fruit.csv"}}), sink);
  job.feed(kCsv);
  Result r = job.finish();
  EXPECT_EQ(r.summary["file"]["compression"], "none");
  EXPECT_FALSE(r.summary["file"].contains("compressed_bytes"));
  EXPECT_EQ(r.summary["file"]["bytes"], kCsv.size());
}

TEST(InputCompression, TheSummaryNamesTheCodecAndBothSizes) {
  StringSink sink;
  Job job(options_from({{"name", "fruit.csv"}}), sink);
  job.set_input_compression(Compression::gzip, 10);
  job.feed(kCsv.substr(0, 5));
  job.set_input_compression(Compression::gzip, 20);
  job.feed(kCsv.substr(5));
  job.set_input_compression(Compression::gzip, 31);
  Result r = job.finish();
  EXPECT_EQ(r.summary["status"], "done");
  EXPECT_EQ(r.summary["file"]["compression"], "gzip");
  EXPECT_EQ(r.summary["file"]["compressed_bytes"], 31);
  EXPECT_EQ(r.summary["file"]["bytes"], kCsv.size());
}

// "fruit.csv.gz" hints csv just as "fruit.csv" does: only the file entry differs.
TEST(InputCompression, TheSnifferReadsTheNameWithoutTheCodecSuffix) {
  auto run = [](const std::string& name, Compression codec) {
    StringSink sink;
    Job job(options_from({{"name", name}}), sink);
    if (codec != Compression::none) job.set_input_compression(codec, 7);
    job.feed(kCsv);
    Result r = job.finish();
    r.summary.erase("timings");
    r.summary.erase("file");
    return r.summary.dump() + sink.out;
  };
  const std::string plain = run("fruit.csv", Compression::none);
  EXPECT_NE(plain.find(".csv name"), std::string::npos) << plain;
  EXPECT_EQ(run("fruit.csv.gz", Compression::gzip), plain);
  EXPECT_EQ(run("fruit.csv.GZ", Compression::gzip), plain);
  EXPECT_EQ(run("fruit.csv.zst", Compression::zstd), plain);
  // Without compression the suffix is the name's.
  EXPECT_NE(run("fruit.csv.gz", Compression::none), plain);
}

TEST(InputCompression, PastMaxDecompressedBytesTheJobStopsWithTooLarge) {
  StringSink sink;
  Job job(options_from({{"to", "none"}, {"limits", {{"max_decompressed_bytes", 100}}}}), sink);
  job.set_input_compression(Compression::zstd, 9);
  EXPECT_TRUE(job.feed(std::string(60, 'a') + "\n"));
  job.set_input_compression(Compression::zstd, 12);
  EXPECT_FALSE(job.feed(std::string(60, 'b') + "\n"));
  Result r = job.finish();
  EXPECT_EQ(r.state, JobState::failed);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::too_large);
  EXPECT_EQ(r.error->message,
            "the zstd input decompresses to more than 100 bytes (limits.max_decompressed_bytes); "
            "stopped after reading 12 compressed bytes");
  // The chunk that crossed the limit was not taken.
  EXPECT_EQ(r.summary["file"]["bytes"], 61);
  EXPECT_EQ(r.summary["error"]["code"], "too_large");
}

TEST(InputCompression, TheExpansionRatioCountsOnlyPastTheFirstMebibyte) {
  const std::string block(256 * 1024, 'x');
  StringSink sink;
  Job job(options_from({{"to", "none"}, {"limits", {{"max_expansion_ratio", 10}}}}), sink);
  // 1 MiB from 1 compressed byte: not yet checked.
  for (int i = 0; i < 4; ++i) {
    job.set_input_compression(Compression::gzip, 1);
    ASSERT_TRUE(job.feed(block)) << i;
  }
  job.set_input_compression(Compression::gzip, 1000);
  EXPECT_FALSE(job.feed(block));
  Result r = job.finish();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->code, ErrorCode::too_large);
  EXPECT_EQ(r.error->message,
            "the gzip input expands more than 10 times (limits.max_expansion_ratio): 1310720 bytes from 1000 "
            "compressed; stopped after reading 1000 compressed bytes");
}

TEST(InputCompression, ExactlyTheRatioIsWithinIt) {
  Limits limits;
  limits.max_expansion_ratio = 4;
  const std::uint64_t mib = 1 << 20;
  EXPECT_FALSE(detail::check_decompression_limits(limits, Compression::gzip, mib / 2, 2 * mib));
  EXPECT_TRUE(detail::check_decompression_limits(limits, Compression::gzip, mib / 2, 2 * mib + 1));
  // Products that would overflow are compared by division.
  limits.max_expansion_ratio = UINT64_MAX;
  limits.max_decompressed_bytes = UINT64_MAX;
  EXPECT_FALSE(detail::check_decompression_limits(limits, Compression::gzip, 3, UINT64_MAX - 1));
}

TEST(InputCompression, TheLimitsAreOptionsEchoedInTheSummary) {
  auto options = options_from({{"limits", {{"max_decompressed_bytes", 5000000}, {"max_expansion_ratio", 50}}}});
  EXPECT_EQ(options.limits.max_decompressed_bytes, 5000000u);
  EXPECT_EQ(options.limits.max_expansion_ratio, 50u);
  auto json = options.to_json();
  EXPECT_EQ(json["limits"]["max_decompressed_bytes"], 5000000);
  EXPECT_EQ(json["limits"]["max_expansion_ratio"], 50);
  const JobOptions defaults;
  EXPECT_EQ(defaults.to_json()["limits"]["max_decompressed_bytes"], 64ull << 30);
  EXPECT_EQ(defaults.to_json()["limits"]["max_expansion_ratio"], 1000);
  std::string error;
  EXPECT_FALSE(JobOptions::from_json({{"limits", {{"max_expansion_ratio", 0}}}}, error));
  EXPECT_EQ(error, "option 'limits.max_expansion_ratio' must be a positive integer");
}

TEST(InputCompression, AFaultTheHostFoundFailsTheJobOnce) {
  StringSink sink;
  Job job(options_from(nlohmann::json::object()), sink);
  job.feed(kCsv);
  job.fail(JobError{ErrorCode::corrupt_input, "the gzip data is truncated", std::nullopt});
  job.fail(JobError{ErrorCode::corrupt_input, "a second reason", std::nullopt});
  EXPECT_FALSE(job.feed(kCsv));
  Result r = job.finish();
  EXPECT_EQ(r.state, JobState::failed);
  EXPECT_EQ(r.summary["status"], "failed");
  EXPECT_EQ(r.summary["error"]["message"], "the gzip data is truncated");
}

}  // namespace
}  // namespace fastthread
