// CSV rows: a wide mixed-type table with RFC 4180 quoting, and a narrow numeric one.
#include <string_view>

#include "random.hpp"
#include "row_sources.hpp"
#include "text_out.hpp"

namespace fastthread::bench {
namespace {

constexpr std::string_view kFirstNames[] = {
    "James", "Mary",   "John", "Patricia", "Robert", "Jennifer", "Michael",  "Linda", "David", "Elizabeth",
    "Wei",   "Fatima", "José", "Zoë",      "Sven",   "Aiko",     "Olusegun", "Priya", "Mateo", "Chloé"};
constexpr std::string_view kLastNames[] = {"Smith",     "Johnson", "Williams", "Brown",  "Jones",
                                           "Garcia",    "Miller",  "Davis",    "Müller", "Nguyen",
                                           "Kowalski",  "O'Brien", "Rossi",    "Silva",  "Tanaka",
                                           "Andersson", "Okafor",  "Sharma",   "Dubois", "Petrov"};
constexpr std::string_view kNicknames[] = {"The Builder", "Ace", "Doc", "Red", "Bud"};
constexpr std::string_view kCategories[] = {
    "electronics", "books",  "clothing", "home",   "toys",   "grocery", "sports", "beauty",
    "automotive",  "garden", "music",    "office", "health", "pets",    "tools",  "jewelry"};
constexpr std::string_view kWords[] = {"great", "value",     "arrived", "late",      "quality",   "broken",
                                       "would", "buy",       "again",   "not",       "as",        "described",
                                       "fast",  "shipping",  "works",   "fine",      "love",      "it",
                                       "too",   "small",     "perfect", "gift",      "cheap",     "returned",
                                       "ok",    "excellent", "poor",    "packaging", "recommend", "café"};

// id,name,price,qty,active,created,updated,category,comment
class MixedCsv final : public RowSource {
 public:
  explicit MixedCsv(std::uint64_t seed)
      : random_(seed), categories_(static_cast<std::uint32_t>(std::size(kCategories))) {}

  void header(std::string& out) override {
    out += "id,name,price,qty,active,created,updated,category,comment\n";
  }

  void row(std::string& out) override {
    put_int(out, ++id_);
    out.push_back(',');
    name(out);
    out.push_back(',');
    put_fixed(out, random_.between(1, 99999), 2);
    out.push_back(',');
    put_int(out, random_.between(0, 500));
    out.push_back(',');
    out += random_.chance(70) ? "true" : "false";
    out.push_back(',');
    // Created 2015-01-01 .. 2024-12-31, updated within the next 90 days.
    const std::int64_t created = random_.between(16436, 20088);
    put_date(out, created);
    out.push_back(',');
    // Draws are sequenced one per statement: argument evaluation order differs between compilers.
    const std::int64_t updated = created * 86400 + random_.between(0, 90 * 86400);
    const char separator = random_.chance(50) ? 'T' : ' ';
    put_datetime(out, updated, separator);
    out.push_back(',');
    out += kCategories[categories_.draw(random_)];
    out.push_back(',');
    comment(out);
    out.push_back('\n');
  }

 private:
  void name(std::string& out) {
    const std::string_view first = random_.pick(kFirstNames);
    const std::string_view last = random_.pick(kLastNames);
    const std::uint32_t roll = random_.below(1000);
    if (roll < 50) {  // "Last, First": a comma inside quotes
      out.push_back('"');
      out += last;
      out += ", ";
      out += first;
      out.push_back('"');
    } else if (roll < 70) {  // a nickname in doubled quotes
      out.push_back('"');
      out += first;
      out += " \"\"";
      out += random_.pick(kNicknames);
      out += "\"\" ";
      out += last;
      out.push_back('"');
    } else if (roll < 75) {  // an embedded line break
      out.push_back('"');
      out += first;
      out.push_back('\n');
      out += last;
      out.push_back('"');
    } else {
      out += first;
      out.push_back(' ');
      out += last;
    }
  }

  void comment(std::string& out) {
    const std::uint32_t roll = random_.below(100);
    if (roll < 15) return;  // empty
    if (roll < 20) {
      out += "NA";
      return;
    }
    const bool quoted = roll < 35;  // a comma inside, so quoted
    if (quoted) out.push_back('"');
    const std::int64_t words = random_.between(2, 12);
    for (std::int64_t w = 0; w < words; ++w) {
      if (w > 0) out += quoted && w == 1 ? ", " : " ";
      out += random_.pick(kWords);
    }
    if (quoted) out.push_back('"');
  }

  Random random_;
  Zipf categories_;
  std::int64_t id_ = 0;
};

// id,x,y,z,count,ratio: integers and decimals only.
class NumericCsv final : public RowSource {
 public:
  explicit NumericCsv(std::uint64_t seed) : random_(seed) {}

  void header(std::string& out) override { out += "id,x,y,z,count,ratio\n"; }

  void row(std::string& out) override {
    put_int(out, ++id_);
    out.push_back(',');
    put_fixed(out, random_.between(-100000000, 100000000), 3);
    out.push_back(',');
    put_fixed(out, random_.between(-1000000, 1000000), 6);
    out.push_back(',');
    put_int(out, random_.between(-2000000000, 2000000000));
    out.push_back(',');
    put_int(out, random_.between(0, 1000));
    out.push_back(',');
    put_fixed(out, random_.between(0, 1000000), 6);
    out.push_back('\n');
  }

 private:
  Random random_;
  std::int64_t id_ = 0;
};

}  // namespace

std::unique_ptr<RowSource> make_mixed_csv(std::uint64_t seed) {
  return std::make_unique<MixedCsv>(seed);
}
std::unique_ptr<RowSource> make_numeric_csv(std::uint64_t seed) {
  return std::make_unique<NumericCsv>(seed);
}

}  // namespace fastthread::bench
