// The worker pipes' frame decoder (native/src/pool/frame.cpp): bytes in pieces of any size,
// whole messages out, or an error after which the reader stays failed. Every message read
// must come back the same through encode_frame.
// Input: [4 chunking bytes][the stream].
#include "pool/frame.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace {

using fastthread::pool::FrameError;
using fastthread::pool::FrameReader;
using fastthread::pool::Json;

void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "frame: %s\n", what);
  std::abort();
}

// A message read from a frame, written as a frame again and read back, is itself.
void expect_round_trip(const Json& message) {
  Json body = message;
  std::string attachment;
  if (auto it = body.find("attachment"); it != body.end()) {
    // Only a non-empty string is an attachment the writer can carry.
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) return;
    attachment = it->get<std::string>();
    body.erase(it);
  }
  FrameReader reader;
  reader.feed(fastthread::pool::encode_frame(body, attachment));
  auto again = reader.next();
  expect(std::holds_alternative<Json>(again), "an encoded frame does not decode");
  expect(std::get<Json>(again) == message, "a message changes on a round trip");
  expect(reader.pending() == 0, "an encoded frame leaves bytes behind");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  std::uint32_t state =
      (std::uint32_t{data[0]} << 24 | std::uint32_t{data[1]} << 16 | std::uint32_t{data[2]} << 8 | data[3]) *
          2654435761u +
      1;
  std::string_view stream(reinterpret_cast<const char*>(data) + 4, size - 4);
  // A small limit too, so that the length check is reached by short inputs.
  FrameReader reader((state & 1) != 0 ? 1 << 10 : fastthread::pool::kDefaultMaxFrameBytes);
  while (!stream.empty() && !reader.failed()) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    const std::size_t n = std::min<std::size_t>(stream.size(), 1 + (state >> 4) % 64);
    reader.feed(stream.substr(0, n));
    stream.remove_prefix(n);
    for (;;) {
      auto next = reader.next();
      if (std::holds_alternative<std::nullopt_t>(next)) break;
      if (auto* error = std::get_if<FrameError>(&next)) {
        expect(!error->message.empty() && reader.failed(), "a frame error that does not stick");
        expect(std::holds_alternative<FrameError>(reader.next()), "a failed reader reads on");
        break;
      }
      const Json& message = std::get<Json>(next);
      expect(message.is_object() && message.contains("op") && message["op"].is_string(),
             "a message without an op");
      expect_round_trip(message);
    }
  }
  return 0;
}
