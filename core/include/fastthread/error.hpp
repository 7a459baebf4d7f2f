// The error vocabulary: every code that a job, a refused request or a bad row can carry,
// each with its one spelling. frontend/src/protocol.ts mirrors it (ErrorCode, RowIssueCode);
// docs/protocol.md and docs/summary.md say what each means.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fastthread {

enum class ErrorCode : std::uint8_t {
  // Why a job stopped, or a request was refused (JobError; the protocol's `error`).
  parse_error,     // more bad rows than max_errors
  bad_request,     // a malformed message or bad options
  too_large,       // over a size limit (file, upload, decompressed size or expansion)
  busy,            // the queue is full
  rate_limited,    // the client is over its concurrent-jobs or jobs-per-minute limit
  timeout,         // past the per-job time, or an upload stopped and its client did not return
  io_error,        // a file of the job could not be read or written
  worker_crashed,  // the worker process died
  out_of_memory,   // over the per-worker memory limit
  not_found,       // no such job or file
  shutting_down,   // the host is draining
  unsupported,     // the host cannot run this job (not text, an archive it cannot read, ...)
  corrupt_input,   // compressed input that is truncated or corrupt
  cancelled,       // the client cancelled the job
  // HTTP only.
  method_not_allowed,
  header_too_large,
  forbidden,
  unauthorized,    // no valid bearer token (HTTP 401; WebSocket hello)
  // Why one row could not be read (Issue; the summary's errors.first).
  ragged_row,
  invalid_utf8,
  unterminated_quote,
  record_too_large,
  too_many_columns,
  bad_json,
  not_an_object,
  too_deep,
  bad_log_line,
};

std::string_view to_string(ErrorCode code);
// The code of a spelling; nullopt for a word that is not in the vocabulary.
std::optional<ErrorCode> parse_error_code(std::string_view spelling);

// Where a row starts. Rows count data rows from 1 (a header is not a row); lines count
// physical lines from 1; byte offsets count from 0 in the input as fed (BOM included).
struct Place {
  std::uint64_t row = 0;
  std::uint64_t line = 0;
  std::uint64_t byte_offset = 0;
};

// A problem found in the input: one of the row codes above, and a message for a person.
struct Issue {
  ErrorCode code = ErrorCode::bad_json;
  std::string message;
  Place place;
  std::string column;  // empty when the problem is not about one column
  // The byte offset the message names ("at byte N"), as the parser counts, and where its
  // digits are in the message: a stage that maps offsets (InputStage, for transcoded input)
  // rewrites exactly those digits, never text the input supplied (a log format's literal).
  struct NamedOffset {
    std::uint64_t offset = 0;
    std::size_t at = 0;
    std::size_t digits = 0;
  };
  std::optional<NamedOffset> named_offset;
};

// Why a job stopped early, with a place when the input is at fault.
struct JobError {
  ErrorCode code = ErrorCode::parse_error;
  std::string message;
  std::optional<Place> place;
};

// {"row", "line", "byte_offset"}.
nlohmann::ordered_json to_json(const Place& place);
// A place from its JSON; nullopt for null or anything that is not a place.
std::optional<Place> place_from_json(const nlohmann::json& json);

// {"code", "message", "row", "line", "byte_offset"} and "column" when one column is at
// fault (an entry of the summary's errors.first).
nlohmann::ordered_json to_json(const Issue& issue);

// {"code", "message", "place"}, place null when the input is not at fault (the summary's
// `error`, the protocol's `error` message without its op and id).
nlohmann::ordered_json to_json(const JobError& error);
// An error from its JSON; a code outside the vocabulary, or a missing one, is nullopt.
std::optional<JobError> job_error_from_json(const nlohmann::json& json);

}  // namespace fastthread
