#include "fastthread/error.hpp"

#include <array>

#include "json_build.hpp"

namespace fastthread {
namespace {

using detail::object_with;
using detail::put;

// In the enum's order: to_string indexes it, parse_error_code searches it.
constexpr std::array<std::string_view, 27> kSpellings = {
    "parse_error",      "bad_request",        "too_large",        "busy",
    "rate_limited",     "timeout",            "io_error",         "worker_crashed",
    "out_of_memory",    "not_found",          "shutting_down",    "unsupported",
    "corrupt_input",    "cancelled",          "method_not_allowed", "header_too_large", "forbidden",
    "unauthorized",
    "ragged_row",       "invalid_utf8",       "unterminated_quote", "record_too_large",
    "too_many_columns", "bad_json",           "not_an_object",    "too_deep",
    "bad_log_line",
};
static_assert(static_cast<std::size_t>(ErrorCode::bad_log_line) + 1 == kSpellings.size(),
              "every code has its spelling");

std::optional<std::uint64_t> count_at(const nlohmann::json& json, const char* key) {
  const auto it = json.find(key);
  if (it == json.end() || !it->is_number_integer()) return std::nullopt;
  // A count written as a signed integer is still the count it is, when it is not negative.
  if (!it->is_number_unsigned() && it->get<std::int64_t>() < 0) return std::nullopt;
  return it->get<std::uint64_t>();
}

}  // namespace

std::string_view to_string(ErrorCode code) {
  return kSpellings[static_cast<std::size_t>(code)];
}

std::optional<ErrorCode> parse_error_code(std::string_view spelling) {
  for (std::size_t i = 0; i < kSpellings.size(); ++i) {
    if (kSpellings[i] == spelling) return static_cast<ErrorCode>(i);
  }
  return std::nullopt;
}

nlohmann::ordered_json to_json(const Place& place) {
  nlohmann::ordered_json p = object_with(3);
  put(p, "row", place.row);
  put(p, "line", place.line);
  put(p, "byte_offset", place.byte_offset);
  return p;
}

std::optional<Place> place_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  const auto row = count_at(json, "row"), line = count_at(json, "line"), offset = count_at(json, "byte_offset");
  if (!row || !line || !offset) return std::nullopt;
  return Place{*row, *line, *offset};
}

nlohmann::ordered_json to_json(const Issue& issue) {
  nlohmann::ordered_json e = object_with(6);
  put(e, "code", to_string(issue.code));
  put(e, "message", issue.message);
  put(e, "row", issue.place.row);
  put(e, "line", issue.place.line);
  put(e, "byte_offset", issue.place.byte_offset);
  if (!issue.column.empty()) put(e, "column", issue.column);
  return e;
}

nlohmann::ordered_json to_json(const JobError& error) {
  nlohmann::ordered_json e = object_with(3);
  put(e, "code", to_string(error.code));
  put(e, "message", error.message);
  put(e, "place", error.place ? to_json(*error.place) : nlohmann::ordered_json(nullptr));
  return e;
}

std::optional<JobError> job_error_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return std::nullopt;
  const auto code = json.find("code");
  if (code == json.end() || !code->is_string()) return std::nullopt;
  const auto parsed = parse_error_code(code->get_ref<const std::string&>());
  if (!parsed) return std::nullopt;
  JobError error{*parsed, {}, std::nullopt};
  if (const auto message = json.find("message"); message != json.end() && message->is_string()) {
    error.message = message->get<std::string>();
  }
  if (const auto place = json.find("place"); place != json.end()) error.place = place_from_json(*place);
  return error;
}

}  // namespace fastthread
