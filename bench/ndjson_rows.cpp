// NDJSON rows: flat-ish events with a nested `user` object, a tag array, nulls and escapes.
#include <string_view>

#include "random.hpp"
#include "row_sources.hpp"
#include "text_out.hpp"

namespace fastthread::bench {
namespace {

constexpr std::string_view kUsers[] = {"ann",   "bob",   "chen",  "dmitri", "eve",   "fatima", "gus",
                                       "hiro",  "ines",  "jon",   "kemal",  "lena",  "mo",     "nora",
                                       "oskar", "paula", "quinn", "raj",    "sofia", "tomás"};
constexpr std::string_view kEvents[] = {"click", "view", "purchase", "signup", "logout", "search", "share"};
constexpr std::string_view kTags[] = {"new",  "sale", "mobile", "desktop", "beta", "promo",
                                      "返品", "vip",  "eu",     "us",      "test", "organic"};
// Already escaped JSON string bodies: quotes, backslashes, control escapes, \u escapes, raw UTF-8.
constexpr std::string_view kNotes[] = {
    "plain note",          "said \\\"hello\\\" twice",   "path C:\\\\temp\\\\file.txt",
    "line one\\nline two", "tab\\tseparated\\tvalues",   "caf\\u00e9 cr\\u00e8me",
    "naïve façade — ok",   "emoji \\ud83d\\ude00 and 😀", "url https://example.com/a/b?c=d&e=f",
    "slash \\/ escaped"};

class NdjsonRows final : public RowSource {
 public:
  explicit NdjsonRows(std::uint64_t seed)
      : random_(seed), users_(static_cast<std::uint32_t>(std::size(kUsers))) {}

  void row(std::string& out) override {
    out += "{\"id\":";
    put_int(out, ++id_);
    out += ",\"ts\":\"";
    time_ += random_.between(0, 5);
    put_datetime(out, time_, 'T');
    out += "Z\",\"event\":\"";
    out += random_.pick(kEvents);
    out += "\",\"user\":{\"id\":";
    const std::uint32_t user = users_.draw(random_);
    put_int(out, 1000 + user);
    out += ",\"name\":\"";
    out += kUsers[user];
    out += "\",\"verified\":";
    out += user % 3 == 0 ? "false" : "true";
    out += ",\"score\":";
    if (random_.chance(10)) {
      out += "null";
    } else {
      put_fixed(out, random_.between(-50000, 150000), 2);
    }
    out += "},\"tags\":[";
    const std::int64_t tags = random_.between(0, 4);
    for (std::int64_t t = 0; t < tags; ++t) {
      if (t > 0) out.push_back(',');
      out.push_back('"');
      out += random_.pick(kTags);
      out.push_back('"');
    }
    out += "],\"amount\":";
    if (random_.chance(20)) {
      put_int(out, random_.between(1, 10000));
    } else {
      put_fixed(out, random_.between(1, 10000000), 2);
    }
    out += ",\"active\":";
    out += random_.chance(60) ? "true" : "false";
    // Sometimes null, sometimes absent altogether.
    const std::uint32_t roll = random_.below(100);
    if (roll < 10) {
      out += ",\"note\":null";
    } else if (roll < 70) {
      out += ",\"note\":\"";
      out += random_.pick(kNotes);
      out.push_back('"');
    }
    out += "}\n";
  }

 private:
  Random random_;
  Zipf users_;
  std::int64_t id_ = 0;
  std::int64_t time_ = 1704067200;  // 2024-01-01T00:00:00Z
};

}  // namespace

std::unique_ptr<RowSource> make_ndjson(std::uint64_t seed) {
  return std::make_unique<NdjsonRows>(seed);
}

}  // namespace fastthread::bench
