#include "fastthread/job.hpp"

#include <chrono>
#include <new>

#include "fastthread/parser.hpp"
#include "input_stage.hpp"
#include "input_compression.hpp"
#include "row_buffer.hpp"
#include "summary.hpp"

namespace fastthread {
namespace {

using Clock = std::chrono::steady_clock;

// The rows held back for type inference never take more than this, whatever infer_rows says.
constexpr std::uint64_t kMaxHeldBackBytes = 16ull << 20;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::running: return "running";
    case JobState::done: return "done";
    case JobState::failed: return "failed";
    case JobState::cancelled: return "cancelled";
  }
  return "running";
}

// Bytes -> (sniff) -> parser -> rows -> profiles + writer -> sink.
struct Job::Impl final : RowHandler {
  Impl(JobOptions o, OutputSink& s, const std::atomic<bool>& cancel_flag)
      : options(std::move(o)), sink(s), cancel_requested(cancel_flag) {
    profile_options.nulls = options.nulls;
    profile_options.infer_types = options.infer_types;
    WriterOptions w;
    w.format = options.output;
    w.typed = options.infer_types;
    writer = make_writer(w, sink);
  }

  bool feed(std::string_view chunk) {
    if (state != JobState::running) return false;
    if (cancel_requested.load(std::memory_order_relaxed)) return stop_cancelled();
    if (compression != Compression::none) {
      if (auto e = detail::check_decompression_limits(options.limits, compression, compressed_bytes,
                                                      bytes.load(std::memory_order_relaxed) + chunk.size())) {
        return stop_failed(std::move(*e));
      }
    }
    bytes.fetch_add(chunk.size(), std::memory_order_relaxed);
    if (!parser) {
      head.append(chunk);
      if (head.size() < options.sniff_bytes) return true;
      start_parser(false);
      if (state != JobState::running) return false;
      std::string first = std::move(head);
      head.clear();
      return feed_parser(first) || state == JobState::running;
    }
    feed_parser(chunk);
    return state == JobState::running;
  }

  Result finish() {
    if (state == JobState::running && cancel_requested.load(std::memory_order_relaxed)) stop_cancelled();
    if (state == JobState::running && !parser) start_parser(true);
    if (state == JobState::running) {
      if (!head.empty()) {
        std::string first = std::move(head);
        head.clear();
        feed_parser(first);
      }
      if (state == JobState::running && input) input->finish(*parser);
      if (state == JobState::running) parser->finish();
    }
    if (state == JobState::running) state = JobState::done;
    if (state != JobState::cancelled) {
      begin_output();
      writer->end();
    }
    const auto end = Clock::now();
    timings.total_ms = ms_between(started, end);
    timings.parse_ms = parser_started ? ms_between(*parser_started, end) : 0.0;

    Result result;
    result.state = state;
    result.error = error;
    result.summary = build_summary(summary_input());
    return result;
  }

  // Plain UTF-8 goes straight to the parser; anything else through the input stage.
  bool feed_parser(std::string_view chunk) { return input ? input->feed(chunk, *parser) : parser->feed(chunk); }

  // Decides from the first sniff_bytes only, however the input was chunked.
  void start_parser(bool is_complete) {
    const std::string_view first = std::string_view(head).substr(0, options.sniff_bytes);
    const bool delimited = !options.format || *options.format == Format::csv || *options.format == Format::tsv;
    input = std::make_unique<detail::InputStage>(first, is_complete, options.encoding, delimited, *this);
    if (input->not_text()) {
      parser_started = Clock::now();
      timings.sniff_ms = ms_between(started, *parser_started);
      input->describe(detected);
      detected.confidence = 0;
      detected.reason = "not text";
      state = JobState::failed;
      error = JobError{ErrorCode::unsupported, *input->not_text(), std::nullopt};
      // What was examined, not what the chunking happened to bring along with it.
      bytes.store(first.size(), std::memory_order_relaxed);
      return;
    }
    SniffRequest request;
    request.head = input->sniff_text();
    request.sep_line = input->sep_line();
    request.is_complete = is_complete;
    request.file_name = detail::name_without_compression_suffix(options.file_name, compression);
    request.format = options.format;
    request.delimiter = options.delimiter;
    request.header = options.header;
    request.log_format = options.log_format;
    detected = sniff(request);
    input->describe(detected);
    const bool skip_bom = input->parser_skips_bom();
    RowHandler& handler = input->adapted() ? static_cast<RowHandler&>(*input) : *this;
    if (!input->adapted()) input.reset();
    parser_started = Clock::now();
    timings.sniff_ms = ms_between(started, *parser_started);
    switch (detected.format) {
      case Format::csv:
      case Format::tsv:
        parser = make_csv_parser(detected.csv, skip_bom, options.limits, handler);
        break;
      case Format::ndjson:
      case Format::json:
        parser = make_json_parser(detected.format == Format::ndjson, skip_bom, options.limits, handler);
        break;
      case Format::log:
        if (detected.log == LogVariant::custom) {
          std::string why;
          parser = make_log_format_parser(options.log_format, skip_bom, options.limits, handler, why);
          // from_json refuses such a string; a caller that built JobOptions itself gets it here.
          if (!parser) {
            state = JobState::failed;
            error = JobError{ErrorCode::bad_request, "option 'log_format' is not a log format: " + why, std::nullopt};
            parser = make_log_parser(LogVariant::w3c, skip_bom, options.limits, handler);  // no columns
          }
        } else {
          parser = make_log_parser(detected.log, skip_bom, options.limits, handler);
        }
        break;
    }
  }

  bool on_row(std::span<const Field> fields, const Place& place) override {
    while (profiles.size() < fields.size()) profiles.emplace_back(profile_options);
    values.resize(fields.size());
    // Built in place (Value is trivial): assigning would copy a temporary that add() has
    // just stored in pieces, reading it back 16 bytes at a time, a store-forwarding stall.
    for (std::size_t i = 0; i < fields.size(); ++i) ::new (&values[i]) Value(profiles[i].add(fields[i]));
    const std::uint64_t n = rows.fetch_add(1, std::memory_order_relaxed) + 1;
    write_row(fields, place);
    if (n % options.cancel_check_rows == 0 && cancel_requested.load(std::memory_order_relaxed)) {
      return stop_cancelled();
    }
    return true;
  }

  bool on_bad_row(const Issue& issue) override {
    const std::uint64_t n = errors.fetch_add(1, std::memory_order_relaxed) + 1;
    if (first_errors.size() < options.keep_errors) first_errors.push_back(issue);
    if (options.max_errors >= 0 && n > static_cast<std::uint64_t>(options.max_errors)) {
      state = JobState::failed;
      std::string why = options.max_errors == 0
                            ? std::string(" (stopped at the first bad row: max_errors is 0)")
                            : " (stopped: more than " + std::to_string(options.max_errors) + " bad rows)";
      error = JobError{ErrorCode::parse_error, issue.message + why, issue.place};
      return false;
    }
    return true;
  }

  bool stop_failed(JobError e) {
    if (state == JobState::running) {
      state = JobState::failed;
      error = std::move(e);
    }
    return false;
  }

  bool stop_cancelled() {
    if (state == JobState::running) {
      state = JobState::cancelled;
      error = JobError{ErrorCode::cancelled, "the job was cancelled", std::nullopt};
    }
    return false;
  }

  // Rows are held back until infer_rows of them fix the output column types.
  void write_row(std::span<const Field> fields, const Place& place) {
    if (options.output == OutputFormat::none) return;
    if (!output_begun) {
      held_back.push(fields, values);
      if (held_back.rows() >= options.infer_rows || held_back.bytes() >= kMaxHeldBackBytes) begin_output();
      return;
    }
    emit(fields, values, place.row);
  }

  void begin_output() {
    if (output_begun) return;
    output_begun = true;
    const Columns* columns = parser ? &parser->columns() : nullptr;
    std::vector<std::string> names;
    std::vector<ColumnOutput> types;
    if (columns) {
      for (std::size_t i = 0; i < columns->size(); ++i) {
        names.push_back(columns->name(i));
        types.push_back({i < profiles.size() ? profiles[i].type() : ValueType::null});
      }
    }
    output_columns = names.size();
    writer->begin(names, types);
    held_back.drain([&](std::span<const Field> f, std::span<const Value> v) { emit(f, v, 0); });
  }

  // Columns that appear after the output began: JSON outputs take them (typed per value);
  // a CSV header cannot grow, so CSV output drops them and says so in the summary.
  void emit(std::span<const Field> fields, std::span<const Value> row_values, std::uint64_t row) {
    if (fields.size() > output_columns) {
      const Columns& columns = parser->columns();
      if (options.output == OutputFormat::csv) {
        for (std::size_t i = output_columns; i < fields.size(); ++i) {
          if (fields[i].kind != FieldKind::missing && i >= dropped_reported) {
            dropped_columns.push_back({columns.name(i), row});
            dropped_reported = i + 1;
          }
        }
        fields = fields.first(output_columns);
        row_values = row_values.first(output_columns);
      } else {
        for (std::size_t i = output_columns; i < fields.size(); ++i) {
          writer->add_column(columns.name(i), {ValueType::null});
        }
        output_columns = fields.size();
      }
    }
    writer->row(fields, row_values);
    ++output_rows;
  }

  SummaryInput summary_input() const {
    SummaryInput in(options, detected, profiles);
    in.columns = parser ? &parser->columns() : nullptr;
    in.bytes = bytes.load(std::memory_order_relaxed);
    in.rows = rows.load(std::memory_order_relaxed);
    in.errors = errors.load(std::memory_order_relaxed);
    in.first_errors = &first_errors;
    in.state = state;
    in.error = error ? &*error : nullptr;
    in.output_rows = output_rows;
    in.output_bytes = writer->bytes_written();
    in.dropped_columns = &dropped_columns;
    in.timings = timings;
    in.compression = compression;
    in.compressed_bytes = compressed_bytes;
    return in;
  }

  JobOptions options;
  OutputSink& sink;
  const std::atomic<bool>& cancel_requested;
  ProfileOptions profile_options;

  std::string head;  // bytes kept until sniff_bytes of them decide format and dialect
  Detected detected;
  std::unique_ptr<detail::InputStage> input;  // null for plain UTF-8
  std::unique_ptr<Parser> parser;
  std::vector<ColumnProfile> profiles;
  std::vector<Value> values;

  std::unique_ptr<RowWriter> writer;
  detail::RowBuffer held_back;
  bool output_begun = false;
  std::size_t output_columns = 0;
  std::uint64_t output_rows = 0;
  std::vector<DroppedColumn> dropped_columns;
  std::size_t dropped_reported = 0;

  std::atomic<std::uint64_t> bytes{0}, rows{0}, errors{0};
  Compression compression = Compression::none;
  std::uint64_t compressed_bytes = 0;
  std::vector<Issue> first_errors;
  JobState state = JobState::running;
  std::optional<JobError> error;

  Clock::time_point started = Clock::now();
  std::optional<Clock::time_point> parser_started;
  Timings timings;
};

Job::Job(JobOptions options, OutputSink& sink)
    : impl_(std::make_unique<Impl>(std::move(options), sink, cancel_requested_)) {}
Job::~Job() = default;

bool Job::feed(std::string_view chunk) { return impl_->feed(chunk); }
Result Job::finish() { return impl_->finish(); }

void Job::set_input_compression(Compression codec, std::uint64_t compressed_bytes) {
  impl_->compression = codec;
  impl_->compressed_bytes = compressed_bytes;
}

void Job::fail(JobError error) { impl_->stop_failed(std::move(error)); }

Progress Job::progress() const {
  return {impl_->bytes.load(std::memory_order_relaxed), impl_->rows.load(std::memory_order_relaxed),
          impl_->errors.load(std::memory_order_relaxed)};
}

}  // namespace fastthread
