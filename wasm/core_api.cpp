// The only boundary between the core and JavaScript: a flat C API over fastthread::Job,
// exported by name (wasm/CMakeLists.txt lists every function). The worker copies a slice
// of the file into the module's memory, feeds it, then takes the output produced so far
// out of the module before the next slice, so neither side ever holds the whole file.
#include <cstddef>
#include <cstdint>
#include <string>

#include <emscripten/emscripten.h>

#include "fastthread/job.hpp"

namespace {

// Collects the output of one feed() until the worker takes it.
class PendingOutput final : public fastthread::OutputSink {
 public:
  void write(std::string_view bytes) override { pending.append(bytes); }
  std::string pending;
};

struct WasmJob {
  explicit WasmJob(fastthread::JobOptions options) : job(std::move(options), output) {}
  PendingOutput output;  // declared before `job`, which writes into it
  fastthread::Job job;
  std::string result;    // the finish() document, kept until ft_job_free
};

std::string last_error;

std::string dump(const nlohmann::ordered_json& json) {
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

extern "C" {

// A job for the options' JSON text (the protocol's `options`, plus "name"), or null when
// the options are bad; ft_error() then says why.
EMSCRIPTEN_KEEPALIVE WasmJob* ft_job_new(const char* options_json) {
  auto json = nlohmann::json::parse(options_json, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    last_error = "options are not JSON";
    return nullptr;
  }
  auto options = fastthread::JobOptions::from_json(json, last_error);
  if (!options) return nullptr;
  return new WasmJob(std::move(*options));
}

// The reason the last ft_job_new failed.
EMSCRIPTEN_KEEPALIVE const char* ft_error() { return last_error.c_str(); }

// Feeds `size` bytes at `data`; 1 while the job goes on, 0 once it has stopped (an error,
// a cancel). Output produced meanwhile waits in ft_job_output.
EMSCRIPTEN_KEEPALIVE int ft_job_feed(WasmJob* job, const char* data, std::size_t size) {
  return job->job.feed(std::string_view(data, size)) ? 1 : 0;
}

// Output produced since the last ft_job_output_clear: its bytes and their number.
EMSCRIPTEN_KEEPALIVE const char* ft_job_output(WasmJob* job) { return job->output.pending.data(); }
EMSCRIPTEN_KEEPALIVE std::size_t ft_job_output_size(WasmJob* job) { return job->output.pending.size(); }
EMSCRIPTEN_KEEPALIVE void ft_job_output_clear(WasmJob* job) { job->output.pending.clear(); }

// Progress as doubles: JavaScript numbers hold counts up to 2^53 exactly.
EMSCRIPTEN_KEEPALIVE double ft_job_bytes(WasmJob* job) { return static_cast<double>(job->job.progress().bytes); }
EMSCRIPTEN_KEEPALIVE double ft_job_rows(WasmJob* job) { return static_cast<double>(job->job.progress().rows); }
EMSCRIPTEN_KEEPALIVE double ft_job_errors(WasmJob* job) { return static_cast<double>(job->job.progress().errors); }

// The worker decompressed the input (`codec` 1: gzip, 2: zstd) and has read `compressed`
// bytes of it so far: call before feeding what they gave, and before ft_job_finish.
EMSCRIPTEN_KEEPALIVE void ft_job_set_input_compression(WasmJob* job, int codec, double compressed) {
  const auto c = codec == 1 ? fastthread::Compression::gzip
                 : codec == 2 ? fastthread::Compression::zstd
                              : fastthread::Compression::none;
  job->job.set_input_compression(c, static_cast<std::uint64_t>(compressed));
}

// Fails the job for a fault the worker found in its input (truncated or corrupt compressed
// data); `code` is a spelling of the error vocabulary (an unknown one fails as
// corrupt_input), `message` UTF-8 text.
EMSCRIPTEN_KEEPALIVE void ft_job_fail(WasmJob* job, const char* code, const char* message) {
  const auto parsed = fastthread::parse_error_code(code);
  job->job.fail(fastthread::JobError{parsed.value_or(fastthread::ErrorCode::corrupt_input), message, std::nullopt});
}

// Stops the job at its next feed.
EMSCRIPTEN_KEEPALIVE void ft_job_cancel(WasmJob* job) { job->job.cancel(); }

// Ends the job and answers {"state", "error": {code, message, place} | null, "summary"}
// as JSON text, valid until ft_job_free. The last output is in ft_job_output.
EMSCRIPTEN_KEEPALIVE const char* ft_job_finish(WasmJob* job) {
  fastthread::Result result = job->job.finish();
  nlohmann::ordered_json document;
  document["state"] = fastthread::to_string(result.state);
  document["error"] = result.error ? fastthread::to_json(*result.error) : nlohmann::ordered_json(nullptr);
  document["summary"] = std::move(result.summary);
  job->result = dump(document);
  return job->result.c_str();
}

EMSCRIPTEN_KEEPALIVE void ft_job_free(WasmJob* job) { delete job; }

}  // extern "C"
