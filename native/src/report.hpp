// `fastthread parse --report`: the summary as a table a person reads in a terminal.
//
// Built from the summary JSON alone (docs/summary.md), not from the core's types, so it
// reads a summary from any host or any build that speaks version 1.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace fastthread::cli {

// The report of `summary`, at most `width` terminal columns wide, ending in a newline:
// a header (file, format and dialect, size, rows, bad rows and where the first are, the
// job's error), then one line per column: name, type, nulls, distinct, min, max, mean,
// p50, top value. Approximate numbers start with '≈' and a legend says how far off they
// can be. Texts too long for their column are cut with '…'. When even cut texts leave the
// table wider than `width`, each column becomes a record instead: its name and type on
// one line, its statistics wrapped below.
std::string format_report(const nlohmann::ordered_json& summary, std::size_t width);

// Columns of the terminal on `fd`; otherwise $COLUMNS; otherwise 100.
std::size_t terminal_width(int fd);

}  // namespace fastthread::cli
