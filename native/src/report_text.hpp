// Text for a terminal table: display widths, cutting with '…', readable numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace fastthread::cli {

// Terminal columns `text` takes: one per code point, two for East Asian wide and
// fullwidth characters (and emoji), none for combining marks. Not full UAX #11, but no
// guess is ever below one column per visible code point.
std::size_t display_width(std::string_view text);

// `text` cut to at most `width` columns, ending in '…' when it was cut (width >= 1).
std::string cut(std::string_view text, std::size_t width);

// `text` safe to print: control characters (newline, tab, escape, ...) as \n, \t, \u001b.
std::string printable(std::string_view text);

// 1234567 -> "1,234,567".
std::string count_text(std::uint64_t n);

// About 4 significant digits without an exponent for everyday magnitudes: 13.667936 ->
// "13.67", 21.0 -> "21", 0.000123456 -> "0.0001235", 123456.7 -> "123457"; an exponent
// only past 1e15 or below 1e-4.
std::string float_text(double x);

// 158 -> "158 B", 1536000 -> "1.5 MB" (powers of 1000, as file managers show them).
std::string bytes_text(std::uint64_t n);

}  // namespace fastthread::cli
