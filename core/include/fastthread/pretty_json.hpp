// JSON laid out for a person's screen: the summary as `fastthread parse` prints it.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace fastthread {

// The layout of dump(2) (two-space indent, one member per line), except that an array or
// object whose one-line form (", " and ": " between items) is at most `line_width` code
// points is written on that one line: a histogram's counts, a type count, a short top
// list. The value is the same as dump(2)'s, scalars spelled exactly as dump() spells them;
// text that is not valid UTF-8 throws, as it does for dump(). No trailing newline.
std::string pretty_json(const nlohmann::ordered_json& value, std::size_t line_width = 100);

}  // namespace fastthread
