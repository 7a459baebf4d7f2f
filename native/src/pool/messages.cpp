#include "pool/messages.hpp"

#include <limits>
#include <string_view>
#include <utility>

namespace fastthread::pool {
namespace {

// A value as an error message shows it: numbers and words as they are, text by its kind
// (a worker's string could be of any length).
std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string:
      return "a string";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::object:
      return "an object";
    default:
      return value.dump();
  }
}

// Text from the peer inside an error message, cut to a readable length.
std::string in_quotes(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string quoted = "'";
  quoted.append(text.substr(0, kMax));
  if (text.size() > kMax) quoted.append("...");
  quoted.push_back('\'');
  return quoted;
}

// Reads the fields of one message and keeps the first problem. After a problem every
// getter gives a default, so a decoder reads all of its fields and then asks ok().
class Fields {
 public:
  // `op` starts every error; `prefix` is the path of a message inside another ("progress.").
  Fields(const Json& message, std::string op, std::string prefix = {})
      : message_(message), op_(std::move(op)), prefix_(std::move(prefix)) {}

  bool ok() const { return error_.empty(); }
  MessageError error() const { return MessageError{error_}; }

  void fail(std::string_view key, const std::string& what) {
    if (error_.empty()) error_ = op_ + ": field '" + prefix_ + std::string(key) + "' " + what;
  }
  void wrong(std::string_view key, const char* expected, const Json& value) {
    fail(key, std::string("must be ") + expected + ", not " + describe(value));
  }

  // The message's op is `op`: a decoder called by hand on another message says so.
  void expect_op(const std::string& op) {
    const Json* value = required("op");
    if (value == nullptr) return;
    if (!value->is_string()) {
      wrong("op", "a string", *value);
    } else if (value->get_ref<const std::string&>() != op) {
      fail("op", "must be " + in_quotes(op) + ", not " + in_quotes(value->get_ref<const std::string&>()));
    }
  }

  // Null when the field is absent (or after a problem).
  const Json* optional(const char* key) const {
    if (!ok()) return nullptr;
    const auto it = message_.find(key);
    return it == message_.end() ? nullptr : &*it;
  }
  const Json* required(const char* key) {
    const Json* value = optional(key);
    if (value == nullptr) fail(key, "is missing");
    return ok() ? value : nullptr;
  }

  std::string string(const char* key) {
    const Json* value = required(key);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      wrong(key, "a string", *value);
      return {};
    }
    return value->get<std::string>();
  }

  bool boolean(const char* key) {
    const Json* value = required(key);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      wrong(key, "true or false", *value);
      return false;
    }
    return value->get<bool>();
  }

  std::uint64_t count(const char* key) {
    const Json* value = required(key);
    return value == nullptr ? 0 : count_of(key, *value, "a non-negative integer");
  }

  std::optional<std::uint64_t> count_or_null(const char* key) {
    const Json* value = required(key);
    if (value == nullptr || value->is_null()) return std::nullopt;
    return count_of(key, *value, "a non-negative integer or null");
  }

  double milliseconds(const char* key) {
    const Json* value = required(key);
    if (value == nullptr) return 0;
    if (!value->is_number() || value->get<double>() < 0) {
      wrong(key, "a non-negative number", *value);
      return 0;
    }
    return value->get<double>();
  }

  int pid(const char* key) {
    const Json* value = required(key);
    if (value == nullptr) return 0;
    if (!value->is_number_integer() || value->get<std::int64_t>() <= 0 ||
        value->get<std::int64_t>() > std::numeric_limits<int>::max()) {
      wrong(key, "a process id", *value);
      return 0;
    }
    return value->get<int>();
  }

  const std::string& op() const { return op_; }
  const std::string& prefix() const { return prefix_; }
  // Takes the first problem of a nested message's fields.
  void adopt(const Fields& nested) {
    if (error_.empty()) error_ = nested.error_;
  }

 private:
  std::uint64_t count_of(const char* key, const Json& value, const char* expected) {
    // A count written as a signed integer is still the count it is, when it is not negative.
    if (value.is_number_unsigned() || (value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      return value.get<std::uint64_t>();
    }
    wrong(key, expected, value);
    return 0;
  }

  const Json& message_;
  std::string op_, prefix_;
  std::string error_;
};

JobState finish_state(Fields& fields) {
  const std::string state = fields.string("state");
  if (state == "done") return JobState::done;
  if (state == "cancelled") return JobState::cancelled;
  if (state != "failed" && fields.ok())
    fields.fail("state", "must be 'done', 'failed' or 'cancelled', not " + in_quotes(state));
  return JobState::failed;
}

// "error": null, or {"code","message","place"} as fastthread::to_json(JobError) writes it.
std::optional<JobError> job_error(Fields& fields) {
  const Json* value = fields.required("error");
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (!value->is_object()) {
    fields.wrong("error", "null or an object", *value);
    return std::nullopt;
  }
  Fields inner(*value, fields.op(), fields.prefix() + "error.");
  JobError error;
  const std::string code = inner.string("code");
  error.message = inner.string("message");
  const Json* place = inner.required("place");
  if (inner.ok()) {
    if (const auto parsed = parse_error_code(code)) {
      error.code = *parsed;
    } else {
      inner.fail("code", "is not an error code: " + in_quotes(code));
    }
  }
  if (inner.ok() && !place->is_null()) {
    error.place = place_from_json(nlohmann::json(*place));
    if (!error.place) inner.wrong("place", "null or {row, line, byte_offset}", *place);
  }
  fields.adopt(inner);
  return error;
}

ProgressMessage read_progress(Fields& fields) {
  fields.expect_op("progress");
  ProgressMessage p;
  p.id = fields.string("id");
  p.phase = fields.string("phase");
  p.bytes = fields.count("bytes");
  p.total = fields.count_or_null("total");
  p.rows = fields.count("rows");
  p.errors = fields.count("errors");
  return p;
}

Json progress_json(const ProgressMessage& p) {
  return Json{{"op", "progress"},
              {"id", p.id},
              {"phase", p.phase},
              {"bytes", p.bytes},
              {"total", p.total ? Json(*p.total) : Json(nullptr)},
              {"rows", p.rows},
              {"errors", p.errors}};
}

template <class Message>
Decoded<Message> result(Fields& fields, Message message) {
  if (!fields.ok()) return fields.error();
  return message;
}

// A decoded message as one of its side's messages.
template <class Side, class Message>
Decoded<Side> widen(Decoded<Message> decoded) {
  if (auto* error = std::get_if<MessageError>(&decoded)) return std::move(*error);
  return Side{std::move(std::get<Message>(decoded))};
}

// The op that picks the decoder; nullopt when there is none to pick by.
std::optional<std::string> op_of(const Json& message) {
  if (!message.is_object()) return std::nullopt;
  const auto it = message.find("op");
  if (it == message.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string encode(const StartMessage& m) {
  return encode_frame(Json{{"op", "start"},
                           {"id", m.id},
                           {"name", m.name},
                           {"input", m.input},
                           {"output", m.output},
                           {"options", m.options},
                           {"available", m.available},
                           {"complete", m.complete}});
}

std::string encode(const DataMessage& m) {
  return encode_frame(
      Json{{"op", "data"}, {"id", m.id}, {"available", m.available}, {"complete", m.complete}});
}

std::string encode(const CancelMessage& m) {
  return encode_frame(Json{{"op", "cancel"}, {"id", m.id}});
}

std::string encode(const StopMessage&) {
  return encode_frame(Json{{"op", "stop"}});
}

std::string encode(const ReadyMessage& m) {
  return encode_frame(Json{{"op", "ready"}, {"pid", m.pid}, {"jobs", m.jobs}});
}

std::string encode(const ProgressMessage& m) {
  return encode_frame(progress_json(m));
}

std::string encode(const FinishMessage& m) {
  Json message{{"op", "finish"},
               {"id", m.id},
               {"state", std::string(to_string(m.state))},
               {"error", m.error ? to_json(*m.error) : Json(nullptr)},
               {"process_ms", m.process_ms}};
  if (m.progress) message["progress"] = progress_json(*m.progress);
  return encode_frame(message, m.summary_text);
}

Decoded<StartMessage> decode_start(Json message) {
  Fields fields(message, "start");
  fields.expect_op("start");
  StartMessage m;
  m.id = fields.string("id");
  m.name = fields.string("name");
  m.input = fields.string("input");
  m.output = fields.string("output");
  if (const Json* options = fields.required("options")) m.options = nlohmann::json(*options);
  m.available = fields.count("available");
  m.complete = fields.boolean("complete");
  return result(fields, std::move(m));
}

Decoded<DataMessage> decode_data(Json message) {
  Fields fields(message, "data");
  fields.expect_op("data");
  DataMessage m;
  m.id = fields.string("id");
  m.available = fields.count("available");
  m.complete = fields.boolean("complete");
  return result(fields, std::move(m));
}

Decoded<CancelMessage> decode_cancel(Json message) {
  Fields fields(message, "cancel");
  fields.expect_op("cancel");
  CancelMessage m;
  m.id = fields.string("id");
  return result(fields, std::move(m));
}

Decoded<StopMessage> decode_stop(Json message) {
  Fields fields(message, "stop");
  fields.expect_op("stop");
  return result(fields, StopMessage{});
}

Decoded<ReadyMessage> decode_ready(Json message) {
  Fields fields(message, "ready");
  fields.expect_op("ready");
  ReadyMessage m;
  m.pid = fields.pid("pid");
  m.jobs = fields.count("jobs");
  return result(fields, m);
}

Decoded<ProgressMessage> decode_progress(Json message) {
  Fields fields(message, "progress");
  ProgressMessage m = read_progress(fields);
  return result(fields, std::move(m));
}

Decoded<FinishMessage> decode_finish(Json message) {
  Fields fields(message, "finish");
  fields.expect_op("finish");
  FinishMessage m;
  m.id = fields.string("id");
  m.state = finish_state(fields);
  m.error = job_error(fields);
  m.process_ms = fields.milliseconds("process_ms");
  if (const Json* progress = fields.optional("progress")) {
    if (progress->is_object()) {
      Fields inner(*progress, "finish", "progress.");
      m.progress = read_progress(inner);
      fields.adopt(inner);
    } else {
      fields.wrong("progress", "an object", *progress);
    }
  }
  if (!fields.ok()) return fields.error();
  if (auto it = message.find("attachment"); it != message.end()) {
    if (!it->is_string()) {
      fields.wrong("attachment", "a string", *it);
    } else {
      m.summary_text = std::move(it->get_ref<std::string&>());
    }
  }
  return result(fields, std::move(m));
}

Decoded<MasterMessage> decode_master_message(Json message) {
  const auto op = op_of(message);
  if (!op) return MessageError{"the message has no string 'op'"};
  if (*op == "start") return widen<MasterMessage>(decode_start(std::move(message)));
  if (*op == "data") return widen<MasterMessage>(decode_data(std::move(message)));
  if (*op == "cancel") return widen<MasterMessage>(decode_cancel(std::move(message)));
  if (*op == "stop") return widen<MasterMessage>(decode_stop(std::move(message)));
  return MessageError{"unknown op " + in_quotes(*op) + " (the master sends start, data, cancel or stop)"};
}

Decoded<WorkerMessage> decode_worker_message(Json message) {
  const auto op = op_of(message);
  if (!op) return MessageError{"the message has no string 'op'"};
  if (*op == "ready") return widen<WorkerMessage>(decode_ready(std::move(message)));
  if (*op == "progress") return widen<WorkerMessage>(decode_progress(std::move(message)));
  if (*op == "finish") return widen<WorkerMessage>(decode_finish(std::move(message)));
  return MessageError{"unknown op " + in_quotes(*op) + " (a worker sends ready, progress or finish)"};
}

}  // namespace fastthread::pool
