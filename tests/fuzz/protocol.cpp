// The protocol's decoders: a client's text frame (parse_client_message, then the options
// of a start as the host reads them) and the host side (check_host_message, and a job
// error as the worker frames carry it). Decoders never throw; what they accept must
// survive a round trip; what the builders write must pass the host-message check.
#include "fastthread/protocol.hpp"

#include <cstdio>
#include <cstdlib>

#include "fastthread/job.hpp"

namespace {

using namespace fastthread;

void expect(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "protocol: %s\n", what);
  std::abort();
}

void client_side(std::string_view text) {
  auto parsed = protocol::parse_client_message(text);
  auto* message = std::get_if<protocol::ClientMessage>(&parsed);
  if (message == nullptr) {
    expect(!std::get<protocol::BadRequest>(parsed).message.empty(), "a bad request without a reason");
    return;
  }
  auto* start = std::get_if<protocol::Start>(message);
  if (start == nullptr) return;
  expect(protocol::is_valid_job_id(start->id), "a start with a bad id was accepted");
  std::string error;
  auto options = JobOptions::from_json(start->options, error);
  if (!options) {
    expect(!error.empty(), "options refused without a reason");
    return;
  }
  // Options read back from their own spelling are the same options.
  const nlohmann::json spelled = options->to_json();
  auto again = JobOptions::from_json(spelled, error);
  expect(again.has_value(), "options refuse their own spelling");
  expect(again->to_json() == options->to_json(), "options change on a round trip");
}

void host_side(std::string_view text) {
  const auto message = protocol::Message::parse(text, nullptr, false);
  if (message.is_discarded()) return;
  (void)protocol::check_host_message(message);
  const auto plain = nlohmann::json::parse(text, nullptr, false);
  (void)place_from_json(plain);
  if (auto error = job_error_from_json(plain)) {
    auto again = job_error_from_json(nlohmann::json(to_json(*error)));
    expect(again && again->code == error->code && again->message == error->message &&
               again->place.has_value() == error->place.has_value(),
           "a job error changes on a round trip");
  }
}

// Whatever id and text a host puts in them, its messages have their documented shape.
void builders(std::string_view text, std::uint8_t byte) {
  const std::string id(text.substr(0, 64));
  const auto code = static_cast<ErrorCode>(byte % (static_cast<unsigned>(ErrorCode::bad_log_line) + 1));
  expect(!protocol::check_host_message(protocol::error(id, code, text, Place{byte, byte, text.size()})),
         "an error message fails its check");
  expect(!protocol::check_host_message(
             protocol::progress(id, byte & 1 ? "upload" : "parse", text.size(), std::nullopt, byte)),
         "a progress message fails its check");
  expect(!protocol::check_host_message(protocol::cancelled(id)), "a cancel message fails its check");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  client_side(text);
  host_side(text);
  if (size > 0) builders(text.substr(1), data[0]);
  return 0;
}
