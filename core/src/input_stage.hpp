// The stage between the bytes as given and the parser (internal): refuses input that is
// not text, detects the encoding, transcodes to UTF-8 when it is not UTF-8, skips an
// Excel "sep=X" first line, and maps the places the parser reports back to the input.
//
// Plain UTF-8 without a sep= line needs none of it: then adapted() is false and the job
// feeds the parser directly, so that path costs nothing.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "encoding_detect.hpp"
#include "fastthread/field.hpp"
#include "fastthread/format.hpp"
#include "fastthread/parser.hpp"
#include "offset_map.hpp"
#include "transcode.hpp"

namespace fastthread::detail {

class InputStage final : public RowHandler {
 public:
  // Decides from `head`, the first sniff_bytes of the input (`is_complete`: all of it).
  // `sep_line_allowed`: the format is sniffed or delimited, so a sep= line may name the
  // delimiter. Rows and bad rows reach `next` with places in input bytes and lines.
  InputStage(std::string_view head, bool is_complete, std::optional<Encoding> given, bool sep_line_allowed,
             RowHandler& next);

  // What the input looks like when it is not text (the job then fails as unsupported).
  const std::optional<std::string>& not_text() const { return not_text_; }
  const EncodingGuess& encoding() const { return encoding_; }
  // The delimiter a skipped sep= first line named.
  std::optional<char> sep_line() const { return sep_; }
  // The head as UTF-8, without a BOM or sep= line: what the sniffer reads. Valid until
  // the head it was made from changes.
  std::string_view sniff_text() const { return sniff_text_; }
  // True when the parser must get its input through feed() and report through this.
  bool adapted() const { return transcoder_.has_value() || out_skip_ > 0; }
  // Whether the parser should skip a UTF-8 BOM itself (plain UTF-8 only).
  bool parser_skips_bom() const { return !adapted() && encoding_.bom_bytes > 0; }
  // The encoding, its reason, the BOM and the sep= line into `detected`; the encoding's
  // confidence scales the format's.
  void describe(Detected& detected) const;

  // Input bytes, from the first, in chunks of any size. False when the parser stopped.
  bool feed(std::string_view input, Parser& parser);
  // End of input: what the transcoder still holds. False when the parser stopped.
  bool finish(Parser& parser);

  bool on_row(std::span<const Field> fields, const Place& place) override;
  bool on_bad_row(const Issue& issue) override;

 private:
  bool deliver(std::string_view utf8, Parser& parser);
  std::uint64_t input_offset(std::uint64_t parser_offset);
  std::uint64_t peek_input_offset(std::uint64_t parser_offset) const;
  Place input_place(const Place& place);

  RowHandler& next_;
  std::optional<std::string> not_text_;
  EncodingGuess encoding_;
  std::optional<char> sep_;
  std::string head_utf8_;        // the transcoded head, when transcoding
  std::string_view sniff_text_;
  std::optional<Transcoder> transcoder_;
  OffsetMap map_;
  std::string buffer_;           // one transcoded slice
  std::uint64_t in_skip_ = 0;    // input bytes still to drop before transcoding (a UTF-16 BOM)
  std::uint64_t out_skip_ = 0;   // UTF-8 bytes the parser does not see (a UTF-8 BOM and the sep= line)
  std::uint64_t out_seen_ = 0;   // UTF-8 bytes produced so far
};

}  // namespace fastthread::detail
