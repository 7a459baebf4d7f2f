// The concrete row writers behind make_writer() (internal).
#pragma once

#include <memory>

#include "fastthread/writer.hpp"

namespace fastthread::detail {

// NDJSON (one object a line) when `array` is false; one JSON array otherwise.
std::unique_ptr<RowWriter> make_json_writer(const WriterOptions& options, OutputSink& sink, bool array);
std::unique_ptr<RowWriter> make_csv_writer(const WriterOptions& options, OutputSink& sink);

}  // namespace fastthread::detail
