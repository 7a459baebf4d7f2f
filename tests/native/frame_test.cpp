#include "pool/frame.hpp"

#include <gtest/gtest.h>

namespace fastthread::pool {
namespace {

std::string raw_frame(std::string_view text) {
  const auto n = static_cast<std::uint32_t>(text.size());
  std::string frame{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                    static_cast<char>(n)};
  return frame + std::string(text);
}

std::string error_of(FrameReader& reader) {
  auto next = reader.next();
  auto* error = std::get_if<FrameError>(&next);
  return error ? error->message : "";
}

TEST(FrameTest, EncodesBigEndianLengthAndCompactJson) {
  const std::string frame = encode_frame(Json{{"op", "stop"}});
  EXPECT_EQ(frame, raw_frame(R"({"op":"stop"})"));
  EXPECT_EQ(frame[3], 13);
}

TEST(FrameTest, KeepsTheKeyOrderOfASummary) {
  Json message{{"op", "finish"}, {"summary", Json{{"zeta", 1}, {"alpha", 2}}}};
  FrameReader reader;
  reader.feed(encode_frame(message));
  auto next = reader.next();
  ASSERT_TRUE(std::holds_alternative<Json>(next));
  EXPECT_EQ(std::get<Json>(next).dump(), R"({"op":"finish","summary":{"zeta":1,"alpha":2}})");
}

TEST(FrameTest, SplitAtEveryByteGivesTheSameMessages) {
  const Json a{{"op", "progress"}, {"id", "j1"}, {"bytes", 12345}, {"text", "h\xC3\xA9llo"}};
  const Json b{{"op", "finish"}, {"id", "j1"}, {"summary", nullptr}};
  const std::string stream = encode_frame(a) + encode_frame(b) + encode_frame(a);
  for (std::size_t cut1 = 0; cut1 <= stream.size(); ++cut1) {
    for (std::size_t cut2 = cut1; cut2 <= stream.size(); cut2 += 7) {
      FrameReader reader;
      std::vector<Json> got;
      for (auto piece : {stream.substr(0, cut1), stream.substr(cut1, cut2 - cut1), stream.substr(cut2)}) {
        reader.feed(piece);
        while (true) {
          auto next = reader.next();
          ASSERT_FALSE(std::holds_alternative<FrameError>(next));
          if (!std::holds_alternative<Json>(next)) break;
          got.push_back(std::get<Json>(next));
        }
      }
      ASSERT_EQ(got.size(), 3u) << "cut at " << cut1 << "," << cut2;
      EXPECT_EQ(got[0], a);
      EXPECT_EQ(got[1], b);
      EXPECT_EQ(got[2], a);
      EXPECT_EQ(reader.pending(), 0u);
    }
  }
}

TEST(FrameTest, AnAttachmentFollowsTheMessageAfterANewlineAndIsHandedOutUnparsed) {
  const std::string summary = R"({"zeta":1,"alpha":[2,"a\nb"]})";
  const std::string frame = encode_frame(Json{{"op", "finish"}, {"text", "two\nlines"}}, summary);
  EXPECT_EQ(frame, raw_frame(std::string(R"({"op":"finish","text":"two\nlines"})") + "\n" + summary));
  // Split at every byte, between two frames without attachments.
  const std::string plain = encode_frame(Json{{"op", "progress"}});
  const std::string stream = plain + frame + plain;
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameReader reader;
    std::vector<Json> got;
    for (auto piece : {stream.substr(0, cut), stream.substr(cut)}) {
      reader.feed(piece);
      while (true) {
        auto next = reader.next();
        ASSERT_FALSE(std::holds_alternative<FrameError>(next));
        if (!std::holds_alternative<Json>(next)) break;
        got.push_back(std::get<Json>(next));
      }
    }
    ASSERT_EQ(got.size(), 3u) << "cut at " << cut;
    EXPECT_FALSE(got[0].contains("attachment"));
    EXPECT_EQ(got[1]["text"], "two\nlines");
    EXPECT_EQ(got[1]["attachment"], summary) << "the bytes as sent, not parsed";
    EXPECT_FALSE(got[2].contains("attachment"));
  }
}

TEST(FrameTest, AnEmptyAttachmentIsNoAttachment) {
  EXPECT_EQ(encode_frame(Json{{"op", "finish"}}, ""), encode_frame(Json{{"op", "finish"}}));
  FrameReader reader;
  reader.feed(raw_frame("{\"op\":\"finish\"}\n"));
  auto next = reader.next();
  ASSERT_TRUE(std::holds_alternative<Json>(next));
  EXPECT_EQ(std::get<Json>(next)["attachment"], "") << "a newline with nothing after it";
}

TEST(FrameTest, BadJsonBeforeAnAttachmentIsRefused) {
  FrameReader reader;
  reader.feed(raw_frame("{\"op\":\n\"finish\"}"));
  EXPECT_EQ(error_of(reader), "frame is not valid JSON");
}

// Found by fuzzing: a text with an "attachment" of its own, before an attachment, came
// out as one message with the key where the text had it, which no frame encodes.
TEST(FrameTest, ATextNamingAnAttachmentIsRefused) {
  for (const char* text : {"{\"op\":\"finish\",\"attachment\":\"\",\"x\":1}\n{\"rows\":1}",
                           "{\"op\":\"finish\",\"attachment\":\"{}\"}"}) {
    FrameReader reader;
    reader.feed(raw_frame(text));
    EXPECT_EQ(error_of(reader), "frame has an \"attachment\" in its JSON: an attachment follows the newline")
        << text;
  }
}

TEST(FrameTest, AShortFrameWaitsForMoreBytes) {
  FrameReader reader;
  const std::string frame = encode_frame(Json{{"op", "ready"}});
  reader.feed(frame.substr(0, frame.size() - 1));
  EXPECT_TRUE(std::holds_alternative<std::nullopt_t>(reader.next()));
  EXPECT_EQ(reader.pending(), frame.size() - 1);
  EXPECT_FALSE(reader.failed());
}

TEST(FrameTest, RefusesAFrameLargerThanTheLimit) {
  FrameReader reader(100);
  reader.feed(raw_frame(std::string(101, ' ')).substr(0, 4));  // the length alone is enough
  EXPECT_NE(error_of(reader).find("larger than the limit of 100"), std::string::npos);
  EXPECT_TRUE(reader.failed());
  reader.feed(encode_frame(Json{{"op", "ready"}}));
  EXPECT_FALSE(error_of(reader).empty()) << "a failed stream stays failed";
}

TEST(FrameTest, TheDefaultLimitIs64MiB) {
  FrameReader reader;
  reader.feed(std::string("\x04\x00\x00\x01", 4));
  EXPECT_NE(error_of(reader).find("67108865"), std::string::npos);
}

TEST(FrameTest, RefusesBadJson) {
  FrameReader reader;
  reader.feed(raw_frame(R"({"op":"ready")"));
  EXPECT_EQ(error_of(reader), "frame is not valid JSON");
}

TEST(FrameTest, RefusesANonObject) {
  FrameReader reader;
  reader.feed(raw_frame(R"(["op","ready"])"));
  EXPECT_EQ(error_of(reader), "frame is not a JSON object");
}

TEST(FrameTest, RefusesAnObjectWithoutOp) {
  for (const char* text : {R"({"id":"j1"})", R"({"op":7})"}) {
    FrameReader reader;
    reader.feed(raw_frame(text));
    EXPECT_EQ(error_of(reader), "frame has no \"op\"") << text;
  }
}

}  // namespace
}  // namespace fastthread::pool
