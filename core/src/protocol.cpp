#include "fastthread/protocol.hpp"

#include <cmath>

namespace fastthread::protocol {
namespace {

using json = nlohmann::json;

// Reads a required or optional field, saying what is wrong with it in `why`.
bool get_string(const json& m, const char* key, std::string& out, std::string& why, bool required = true) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) {
    if (required) why = std::string("field '") + key + "' is missing";
    return !required;
  }
  if (!it->is_string()) {
    why = std::string("field '") + key + "' must be a string, not " + it->type_name();
    return false;
  }
  out = it->get<std::string>();
  return true;
}

bool get_count(const json& m, const char* key, std::uint64_t& out, std::string& why) {
  auto it = m.find(key);
  if (it == m.end()) {
    why = std::string("field '") + key + "' is missing";
    return false;
  }
  if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0)) {
    why = std::string("field '") + key + "' must be a non-negative integer";
    return false;
  }
  out = it->get<std::uint64_t>();
  return true;
}

bool is_sha256(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::variant<ClientMessage, BadRequest> parse_start(const json& m) {
  Start s;
  std::string why;
  std::string sha;
  if (!get_string(m, "id", s.id, why)) return BadRequest{why, ""};
  if (!is_valid_job_id(s.id)) {
    return BadRequest{"field 'id' must be 1 to 64 letters, digits, '.', '_' or '-'", ""};
  }
  if (!get_string(m, "name", s.name, why) || !get_count(m, "size", s.size, why) ||
      !get_string(m, "sha256", sha, why, false)) {
    return BadRequest{why, s.id};
  }
  if (s.name.size() > 1024) return BadRequest{"field 'name' is longer than 1024 bytes", s.id};
  if (!sha.empty()) {
    if (!is_sha256(sha)) return BadRequest{"field 'sha256' must be 64 lowercase hex digits", s.id};
    s.sha256 = sha;
  }
  if (auto it = m.find("options"); it != m.end() && !it->is_null()) {
    if (!it->is_object()) return BadRequest{"field 'options' must be an object", s.id};
    s.options = *it;
  }
  if (auto it = m.find("priority"); it != m.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < -100 || it->get<std::int64_t>() > 100) {
      return BadRequest{"field 'priority' must be an integer from -100 to 100", s.id};
    }
    s.priority = it->get<int>();
  }
  return ClientMessage{std::move(s)};
}

}  // namespace

bool is_valid_job_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return id != "." && id != "..";
}

std::variant<ClientMessage, BadRequest> parse_client_message(std::string_view text) {
  // Copying, comparing or printing a JSON value recurses over its depth, so a deep value
  // could overflow the host's stack: the parser drops anything deeper than the limit
  // (without building it) and the message is refused.
  bool too_deep = false;
  const auto depth_limit = [&too_deep](int depth, json::parse_event_t event, const json&) {
    const bool opens = event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (!opens || depth < kMaxMessageDepth) return true;
    too_deep = true;
    return false;
  };
  json m = json::parse(text, depth_limit, false);
  if (m.is_discarded()) return BadRequest{"the message is not valid JSON", ""};
  if (too_deep) {
    return BadRequest{"the message nests deeper than " + std::to_string(kMaxMessageDepth) + " levels", ""};
  }
  if (!m.is_object()) return BadRequest{"the message must be a JSON object", ""};
  std::string op, why;
  if (!get_string(m, "op", op, why)) return BadRequest{why, ""};
  if (op == "hello") {
    Hello h;
    if (!get_string(m, "client_id", h.client_id, why, false)) return BadRequest{why, ""};
    if (!get_string(m, "token", h.token, why, false)) return BadRequest{why, ""};
    if (!h.client_id.empty() && !is_valid_job_id(h.client_id)) {
      return BadRequest{"field 'client_id' must be 1 to 64 letters, digits, '.', '_' or '-'", ""};
    }
    if (auto it = m.find("v"); it != m.end() && (!it->is_number_integer() || it->get<int>() != kVersion)) {
      return BadRequest{"this host speaks protocol version 1", ""};
    }
    return ClientMessage{std::move(h)};
  }
  if (op == "start") return parse_start(m);
  if (op == "cancel") {
    Cancel c;
    if (!get_string(m, "id", c.id, why)) return BadRequest{why, ""};
    return ClientMessage{std::move(c)};
  }
  return BadRequest{"unknown op '" + op + "' (a client sends hello, start or cancel)", ""};
}

Message hello(std::string_view client_id, const Message& server) {
  return {{"op", "hello"}, {"v", kVersion}, {"client_id", client_id}, {"server", server}};
}

Message queued(std::string_view id, std::uint64_t position) {
  return {{"op", "queued"}, {"id", id}, {"position", position}};
}

Message started(std::string_view id, std::string_view host, unsigned worker) {
  return {{"op", "start"}, {"id", id}, {"host", host}, {"worker", worker}};
}

Message progress(std::string_view id, std::string_view phase, std::uint64_t bytes, std::optional<std::uint64_t> total,
              std::uint64_t rows) {
  Message m = {{"op", "progress"}, {"id", id}, {"phase", phase}, {"bytes", bytes}, {"total", nullptr}, {"rows", rows}};
  if (total) m["total"] = *total;
  return m;
}

Message finish(std::string_view id, const Message& summary, const OutputRef& output, const Timings& timings,
            std::string_view host, unsigned worker, bool cached) {
  const auto ms = [](double v) { return std::round(v * 1000) / 1000; };
  return {{"op", "finish"},
          {"id", id},
          {"summary", summary},
          {"output", {{"url", output.url}, {"bytes", output.bytes}, {"format", output.format}}},
          {"timings",
           {{"queued_ms", ms(timings.queued_ms)}, {"process_ms", ms(timings.process_ms)}, {"total_ms", ms(timings.total_ms)}}},
          {"host", host},
          {"worker", worker},
          {"cached", cached}};
}

Message error(std::string_view id, ErrorCode code, std::string_view message, const std::optional<Place>& place) {
  return {{"op", "error"}, {"id", id}, {"code", to_string(code)}, {"message", message},
          {"place", place ? to_json(*place) : Message(nullptr)}};
}

Message error(std::string_view id, const JobError& e) { return error(id, e.code, e.message, e.place); }

Message cancelled(std::string_view id) { return {{"op", "cancel"}, {"id", id}}; }

Message pool(const PoolStatus& s) {
  Message workers = Message::array();
  for (const auto& w : s.per_worker) {
    workers.push_back({{"index", w.index},
                       {"pid", w.pid},
                       {"state", w.state},
                       {"job", w.job},
                       {"jobs_done", w.jobs_done},
                       {"rss_bytes", w.rss_bytes},
                       {"cpu_seconds", std::round(w.cpu_seconds * 100) / 100}});
  }
  return {{"op", "pool"},     {"host", s.host}, {"workers", s.workers}, {"busy", s.busy},
          {"queued", s.queued}, {"done", s.done}, {"failed", s.failed},  {"per_worker", std::move(workers)}};
}

std::optional<std::string> check_host_message(const Message& m) {
  if (!m.is_object()) return "a message must be an object";
  auto it = m.find("op");
  if (it == m.end() || !it->is_string()) return "no op";
  const std::string op = *it;
  // Field name -> required JSON type, per op.
  using Check = bool (Message::*)() const noexcept;
  struct FieldRule {
    const char* name;
    Check is;
  };
  const auto need = [&](std::initializer_list<FieldRule> rules) -> std::optional<std::string> {
    for (const auto& r : rules) {
      auto f = m.find(r.name);
      if (f == m.end()) return op + ": field '" + r.name + "' is missing";
      if (!((*f).*r.is)()) return op + ": field '" + r.name + "' has the wrong type";
    }
    return std::nullopt;
  };
  const Check str = &Message::is_string, uint = &Message::is_number_unsigned,
              obj = &Message::is_object, boolean = &Message::is_boolean, arr = &Message::is_array;
  if (op == "hello") return need({{"v", uint}, {"client_id", str}, {"server", obj}});
  if (op == "queued") return need({{"id", str}, {"position", uint}});
  if (op == "start") return need({{"id", str}, {"host", str}, {"worker", uint}});
  if (op == "progress") {
    if (auto e = need({{"id", str}, {"phase", str}, {"bytes", uint}, {"rows", uint}})) return e;
    if (!m.contains("total") || !(m["total"].is_null() || m["total"].is_number_unsigned())) {
      return "progress: field 'total' must be a count or null";
    }
    if (m["phase"] != "upload" && m["phase"] != "parse") return "progress: phase must be upload or parse";
    return std::nullopt;
  }
  if (op == "finish") {
    return need({{"id", str}, {"summary", obj}, {"output", obj}, {"timings", obj}, {"host", str}, {"worker", uint},
                 {"cached", boolean}});
  }
  if (op == "error") {
    if (auto e = need({{"id", str}, {"code", str}, {"message", str}})) return e;
    if (!parse_error_code(m["code"].get<std::string>())) return "error: code '" + m["code"].get<std::string>() + "' is not in the vocabulary";
    if (!m.contains("place") || !(m["place"].is_null() || m["place"].is_object())) {
      return "error: field 'place' must be an object or null";
    }
    return std::nullopt;
  }
  if (op == "cancel") return need({{"id", str}});
  if (op == "pool") {
    return need({{"host", str}, {"workers", uint}, {"busy", uint}, {"queued", uint}, {"done", uint}, {"failed", uint},
                 {"per_worker", arr}});
  }
  return "unknown op '" + op + "'";
}

}  // namespace fastthread::protocol
