// The most frequent values of a column, in bounded memory, mergeable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace fastthread::sketch {

// Space-Saving (Metwally, Agrawal and El Abbadi, 2005) with kCapacity counters. While at
// most kCapacity distinct values have been seen nothing is ever evicted and every count
// is exact (exact() is true). After that a new value takes the slot of the smallest
// counter c and starts at c + 1 with error c: a counter is an upper bound of its value's
// true count and counter - error (the occurrences seen since the value took the slot) a
// lower bound; every error is at most n / kCapacity, and a value that holds no counter
// occurred at most unmonitored_max() (the smallest counter) times. Values that arrive
// early and stay frequent (the heavy hitters of a skewed column) are never evicted, so
// their error is 0.
// merge() is the parallel Space-Saving merge (Cafaro, Pulimeno and Tempesta, 2016), which
// is the summary merge of Agarwal et al. ("Mergeable summaries", 2012) in Space-Saving
// form: counts are added, a value missing from a part that has evicted is charged that
// part's smallest counter as error, and the kCapacity largest counters are kept. It keeps
// the same guarantees and is exact when both parts are exact and their union fits.
//
// What top() lists, so that every listed number is a fact:
//  - each value's `count` is a guaranteed lower bound and its true count lies in
//    [count, count + error] (error 0: exact);
//  - `others_max` bounds every value not listed: none occurred more than others_max times;
//  - when the sketch is exact the n largest counts are listed (ties by text), as they are;
//  - otherwise the listing is the longest leading run (at most n) of the values ranked by
//    guaranteed count whose guaranteed counts all exceed others_max = the larger of
//    unmonitored_max() and the upper bounds of every counted value left out. A value that
//    cannot be told apart from the noise (its guaranteed count does not exceed what an
//    unlisted value may have) is left out, and with it every value ranked below it. So the
//    listed values are truly the most frequent ones, each occurring more often than any
//    value not listed, and every value that occurred more than others_max times is listed.
//    A column of all-different values (every true count 1) lists nothing.
// Values are identified by their 64-bit hash; the text kept for display is cut to
// kMaxValueBytes bytes. Memory: about kCapacity * (kMaxValueBytes + 100) bytes at most
// (a text cell, the counters and 16 index cells per slot).
class TopValues {
 public:
  static constexpr std::uint32_t kCapacity = 256;
  static constexpr std::size_t kMaxValueBytes = 256;

  struct Entry {
    std::string value;       // the first kMaxValueBytes bytes of the value
    bool truncated = false;  // the value was longer than that
    std::uint64_t hash = 0;
    std::uint64_t count = 0;  // the value occurred at least this many times
    std::uint64_t error = 0;  // and at most count + error times
  };
  struct Listing {
    std::vector<Entry> values;     // by count descending, ties by text, then hash
    std::uint64_t others_max = 0;  // no value left out occurred more often than this
  };

  void add(std::string_view text, std::uint64_t hash);
  void merge(const TopValues& other);

  bool exact() const { return !evicted_; }
  std::uint64_t total() const { return total_; }
  // The largest true count a value without a counter can have (0 while exact).
  std::uint64_t unmonitored_max() const;
  // At most `n` values, by the rule above.
  Listing top(std::uint32_t n) const;
  // Every counted value, by count descending, ties by text, then hash.
  std::vector<Entry> counted() const;

 private:
  std::uint32_t size() const { return static_cast<std::uint32_t>(hashes_.size()); }
  std::uint32_t evict_smallest();                      // the slot of a true smallest count
  std::uint32_t find_index(std::uint64_t hash) const;  // position in index_ of the hash or its gap
  void erase_index(std::uint32_t pos);
  void set_text(std::uint32_t slot, std::string_view text);
  Entry entry(std::uint32_t slot) const;
  std::vector<Entry> entries() const;               // in slot order
  void rebuild(const std::vector<Entry>& entries);  // entries' counts are lower bounds

  // Hot and cold halves, per slot: probes and the minimum scan touch only the small hash
  // and count arrays; the texts live apart, each in a fixed kMaxValueBytes cell, so an
  // eviction overwrites a cell in place (one memcpy, never an allocation).
  std::vector<std::uint64_t> hashes_;
  std::vector<std::uint64_t> counts_;   // upper bound of the true count (the counter)
  std::vector<std::uint64_t> errors_;   // counts_ - errors_ <= true count
  std::vector<std::uint16_t> lengths_;  // bytes kept in the slot's text cell
  std::vector<std::uint8_t> truncated_;
  std::vector<char> texts_;  // slot s at s * kMaxValueBytes
  // Slots whose count was the smallest, `min_count_`, when they were collected. Counts
  // only grow, so a slot still at min_count_ is a true minimum; a slot that has grown is
  // skipped, and an empty pool is refilled by one scan. Increments never touch it, so
  // add() is O(1) for counted values and amortised O(1) for evictions.
  std::vector<std::uint32_t> min_pool_;
  std::uint64_t min_count_ = 0;
  std::vector<std::uint32_t> index_;      // hash table of hash bits and slot + 1 (0 = empty), linear probing
  std::vector<std::uint16_t> positions_;  // the index_ cell of each slot
  std::uint64_t total_ = 0;
  bool evicted_ = false;
};

}  // namespace fastthread::sketch
