// The master <-> worker messages: each goes through its frame and comes back the same;
// each field the encoder writes is required and of one type; anything else is refused
// with a message that names the op and the field, never with an exception.
#include <gtest/gtest.h>

#include <functional>
#include <vector>

#include "pool/messages.hpp"

namespace fastthread::pool {
namespace {

// What the peer's FrameReader hands out for `frame`.
Json read_back(const std::string& frame) {
  FrameReader reader;
  reader.feed(frame);
  auto next = reader.next();
  EXPECT_TRUE(std::holds_alternative<Json>(next));
  return std::holds_alternative<Json>(next) ? std::get<Json>(next) : Json(nullptr);
}

// The frame without its length: the JSON text (and attachment) as it travels.
std::string wire_text(const std::string& frame) {
  return frame.substr(4);
}

template <class Message>
std::string error_of(const Decoded<Message>& decoded) {
  const auto* error = std::get_if<MessageError>(&decoded);
  return error ? error->message : "(decoded)";
}

// Every field away from its default, so that a decoder that dropped one would show.
StartMessage sample_start() {
  StartMessage m;
  m.id = "j1";
  m.name = "big.csv";
  m.input = "/spool/j1.upload";
  m.output = "/results/j1.out";
  m.options = {{"to", "csv"}, {"max_errors", 5}};
  m.available = 123456;
  m.complete = true;
  return m;
}

ProgressMessage sample_progress() {
  ProgressMessage p;
  p.id = "j1";
  p.bytes = 524288;
  p.total = 1048576;
  p.rows = 4711;
  p.errors = 3;
  return p;
}

FinishMessage sample_finish() {
  FinishMessage f;
  f.id = "j1";
  f.state = JobState::failed;
  f.error = JobError{ErrorCode::parse_error, "too many bad rows", Place{12, 13, 400}};
  f.process_ms = 12.5;
  f.progress = sample_progress();
  f.summary_text = R"({"zeta":1,"alpha":{"b":[1,2]}})";
  return f;
}

// ---- the wire format --------------------------------------------------------------------

TEST(PoolMessagesTest, EveryMessageHasItsDocumentedShape) {
  EXPECT_EQ(
      wire_text(encode(sample_start())),
      R"({"op":"start","id":"j1","name":"big.csv","input":"/spool/j1.upload","output":"/results/j1.out",)"
      R"("options":{"max_errors":5,"to":"csv"},"available":123456,"complete":true})");
  EXPECT_EQ(wire_text(encode(DataMessage{"j1", 234567, true})),
            R"({"op":"data","id":"j1","available":234567,"complete":true})");
  EXPECT_EQ(wire_text(encode(CancelMessage{"j1"})), R"({"op":"cancel","id":"j1"})");
  EXPECT_EQ(wire_text(encode(StopMessage{})), R"({"op":"stop"})");
  EXPECT_EQ(wire_text(encode(ReadyMessage{1234, 0})), R"({"op":"ready","pid":1234,"jobs":0})");
  ProgressMessage uploading = sample_progress();
  uploading.total.reset();
  EXPECT_EQ(
      wire_text(encode(uploading)),
      R"({"op":"progress","id":"j1","phase":"parse","bytes":524288,"total":null,"rows":4711,"errors":3})");
  EXPECT_EQ(
      wire_text(encode(sample_finish())),
      R"({"op":"finish","id":"j1","state":"failed","error":{"code":"parse_error","message":"too many bad rows",)"
      R"("place":{"row":12,"line":13,"byte_offset":400}},"process_ms":12.5,"progress":{"op":"progress",)"
      R"("id":"j1","phase":"parse","bytes":524288,"total":1048576,"rows":4711,"errors":3}})"
      "\n"
      R"({"zeta":1,"alpha":{"b":[1,2]}})");
  FinishMessage bare;
  bare.id = "j2";
  bare.state = JobState::done;
  EXPECT_EQ(wire_text(encode(bare)),
            R"({"op":"finish","id":"j2","state":"done","error":null,"process_ms":0.0})");
}

// ---- round trips ------------------------------------------------------------------------

// Encoded, read back as the peer reads it, decoded by the peer's dispatcher, encoded again:
// the same frame.
template <class Message, class Side>
Message round_trip(const Message& message, std::function<Decoded<Side>(Json)> decode_side) {
  const std::string frame = encode(message);
  auto decoded = decode_side(read_back(frame));
  EXPECT_TRUE(std::holds_alternative<Side>(decoded)) << error_of(decoded);
  if (!std::holds_alternative<Side>(decoded)) return Message{};
  auto& side = std::get<Side>(decoded);
  EXPECT_TRUE(std::holds_alternative<Message>(side));
  if (!std::holds_alternative<Message>(side)) return Message{};
  Message back = std::move(std::get<Message>(side));
  EXPECT_EQ(encode(back), frame);
  return back;
}

TEST(PoolMessagesTest, MasterMessagesComeBackAsTheyWereSent) {
  const StartMessage start = round_trip<StartMessage, MasterMessage>(sample_start(), decode_master_message);
  EXPECT_EQ(start.input, "/spool/j1.upload");
  EXPECT_EQ(start.options, sample_start().options);
  EXPECT_TRUE(start.complete);
  const DataMessage data =
      round_trip<DataMessage, MasterMessage>(DataMessage{"j1", 99, true}, decode_master_message);
  EXPECT_EQ(data.available, 99u);
  EXPECT_TRUE(data.complete);
  EXPECT_EQ((round_trip<CancelMessage, MasterMessage>(CancelMessage{"j7"}, decode_master_message).id), "j7");
  round_trip<StopMessage, MasterMessage>(StopMessage{}, decode_master_message);
}

TEST(PoolMessagesTest, StartCarriesOptionsOfAnyShapeForTheWorkerToJudge) {
  StartMessage start = sample_start();
  start.options = "not an object";
  EXPECT_EQ((round_trip<StartMessage, MasterMessage>(start, decode_master_message).options), "not an object");
}

TEST(PoolMessagesTest, WorkerMessagesComeBackAsTheyWereSent) {
  const ReadyMessage ready =
      round_trip<ReadyMessage, WorkerMessage>(ReadyMessage{4321, 17}, decode_worker_message);
  EXPECT_EQ(ready.pid, 4321);
  EXPECT_EQ(ready.jobs, 17u);

  const ProgressMessage progress =
      round_trip<ProgressMessage, WorkerMessage>(sample_progress(), decode_worker_message);
  EXPECT_EQ(progress.total, std::optional<std::uint64_t>(1048576));
  EXPECT_EQ(progress.errors, 3u);
  ProgressMessage uploading = sample_progress();
  uploading.total.reset();
  EXPECT_FALSE((round_trip<ProgressMessage, WorkerMessage>(uploading, decode_worker_message).total));

  const FinishMessage finish =
      round_trip<FinishMessage, WorkerMessage>(sample_finish(), decode_worker_message);
  EXPECT_EQ(finish.state, JobState::failed);
  ASSERT_TRUE(finish.error);
  EXPECT_EQ(finish.error->code, ErrorCode::parse_error);
  ASSERT_TRUE(finish.error->place);
  EXPECT_EQ(finish.error->place->byte_offset, 400u);
  ASSERT_TRUE(finish.progress);
  EXPECT_EQ(finish.progress->rows, 4711u);
  EXPECT_EQ(finish.summary_text, sample_finish().summary_text) << "the attachment, byte for byte";

  FinishMessage bare;
  bare.id = "j2";
  bare.state = JobState::cancelled;
  bare.error = JobError{ErrorCode::cancelled, "cancelled", std::nullopt};
  const FinishMessage back = round_trip<FinishMessage, WorkerMessage>(bare, decode_worker_message);
  EXPECT_EQ(back.state, JobState::cancelled);
  EXPECT_FALSE(back.progress);
  EXPECT_FALSE(back.error->place);
  EXPECT_TRUE(back.summary_text.empty());
}

TEST(PoolMessagesTest, UnknownExtraFieldsAreIgnored) {
  Json cancel = read_back(encode(CancelMessage{"j1"}));
  cancel["later"] = {1, 2, 3};
  auto decoded = decode_cancel(cancel);
  ASSERT_TRUE(std::holds_alternative<CancelMessage>(decoded)) << error_of(decoded);
  EXPECT_EQ(std::get<CancelMessage>(decoded).id, "j1");
}

// ---- refusals ---------------------------------------------------------------------------

// A message that decodes, one of its fields, and a value that field never takes (null when
// the field takes anything but missing).
struct Field {
  std::string op;
  std::string frame;
  std::string key;
  Json wrong;
  std::function<std::string(Json)> decode;
};

template <class Side>
std::function<std::string(Json)> refusal(std::function<Decoded<Side>(Json)> decode_side) {
  return [decode_side](Json message) { return error_of(decode_side(std::move(message))); };
}

std::vector<Field> every_required_field() {
  const auto master = refusal<MasterMessage>(decode_master_message);
  const auto worker = refusal<WorkerMessage>(decode_worker_message);
  const std::string start = encode(sample_start()), data = encode(DataMessage{"j1", 1, false});
  const std::string ready = encode(ReadyMessage{12, 0}), progress = encode(sample_progress());
  const std::string finish = encode(sample_finish());
  return {
      {"start", start, "id", 5, master},
      {"start", start, "name", nullptr, master},
      {"start", start, "input", Json::array(), master},
      {"start", start, "output", true, master},
      {"start", start, "options", nullptr, master},  // any value will do: only missing is wrong
      {"start", start, "available", -1, master},
      {"start", start, "complete", "yes", master},
      {"data", data, "id", 1, master},
      {"data", data, "available", 1.5, master},
      {"data", data, "complete", 1, master},
      {"cancel", encode(CancelMessage{"j1"}), "id", Json::object(), master},
      {"ready", ready, "pid", 0, worker},
      {"ready", ready, "jobs", "none", worker},
      {"progress", progress, "id", 7, worker},
      {"progress", progress, "phase", 1, worker},
      {"progress", progress, "bytes", "many", worker},
      {"progress", progress, "total", -5, worker},
      {"progress", progress, "rows", nullptr, worker},
      {"progress", progress, "errors", 2.5, worker},
      {"finish", finish, "id", 5, worker},
      {"finish", finish, "state", 1, worker},
      {"finish", finish, "error", "bad", worker},
      {"finish", finish, "process_ms", "slow", worker},
  };
}

TEST(PoolMessagesTest, EveryRequiredFieldMissingIsRefusedByName) {
  for (const Field& f : every_required_field()) {
    Json message = read_back(f.frame);
    ASSERT_EQ(message.erase(f.key), 1u) << f.op << "." << f.key;
    EXPECT_EQ(f.decode(message), f.op + ": field '" + f.key + "' is missing");
  }
}

TEST(PoolMessagesTest, EveryRequiredFieldOfTheWrongTypeIsRefusedByName) {
  for (const Field& f : every_required_field()) {
    if (f.key == "options") continue;
    Json message = read_back(f.frame);
    message[f.key] = f.wrong;
    const std::string error = f.decode(message);
    EXPECT_EQ(error.rfind(f.op + ": field '" + f.key + "' must be ", 0), 0u) << error;
  }
  Json finish = read_back(encode(sample_finish()));
  finish["id"] = 5;
  EXPECT_EQ(error_of(decode_finish(finish)), "finish: field 'id' must be a string, not 5");
  Json progress = read_back(encode(sample_progress()));
  progress["bytes"] = "many";
  EXPECT_EQ(error_of(decode_progress(progress)),
            "progress: field 'bytes' must be a non-negative integer, not a string");
}

TEST(PoolMessagesTest, TheFieldsOfAFinishAreCheckedAllTheWayDown) {
  auto finish_with = [](const std::function<void(Json&)>& change) {
    Json message = read_back(encode(sample_finish()));
    change(message);
    return error_of(decode_worker_message(message));
  };
  EXPECT_EQ(finish_with([](Json& m) { m["state"] = "running"; }),
            "finish: field 'state' must be 'done', 'failed' or 'cancelled', not 'running'");
  EXPECT_EQ(finish_with([](Json& m) { m["error"]["code"] = "nope"; }),
            "finish: field 'error.code' is not an error code: 'nope'");
  EXPECT_EQ(finish_with([](Json& m) { m["error"].erase("message"); }),
            "finish: field 'error.message' is missing");
  EXPECT_EQ(finish_with([](Json& m) {
              m["error"]["place"] = {{"row", 1}};
            }),
            "finish: field 'error.place' must be null or {row, line, byte_offset}, not an object");
  EXPECT_EQ(finish_with([](Json& m) { m["progress"] = 3; }),
            "finish: field 'progress' must be an object, not 3");
  EXPECT_EQ(finish_with([](Json& m) { m["progress"].erase("bytes"); }),
            "finish: field 'progress.bytes' is missing");
  EXPECT_EQ(finish_with([](Json& m) { m["progress"]["op"] = "finish"; }),
            "finish: field 'progress.op' must be 'progress', not 'finish'");
  EXPECT_EQ(finish_with([](Json& m) { m["attachment"] = 1; }),
            "finish: field 'attachment' must be a string, not 1");
  EXPECT_EQ(finish_with([](Json& m) { m["process_ms"] = -1; }),
            "finish: field 'process_ms' must be a non-negative number, not -1");
}

TEST(PoolMessagesTest, UnknownOpsAndMessagesWithoutAnOpAreRefused) {
  EXPECT_EQ(error_of(decode_worker_message(Json{{"op", "hello"}})),
            "unknown op 'hello' (a worker sends ready, progress or finish)");
  EXPECT_EQ(error_of(decode_master_message(Json{{"op", "finish"}})),
            "unknown op 'finish' (the master sends start, data, cancel or stop)");
  // Each side's ops are the other side's unknown ones.
  EXPECT_EQ(error_of(decode_worker_message(read_back(encode(StopMessage{})))),
            "unknown op 'stop' (a worker sends ready, progress or finish)");
  EXPECT_EQ(error_of(decode_master_message(read_back(encode(ReadyMessage{1, 0})))),
            "unknown op 'ready' (the master sends start, data, cancel or stop)");
  EXPECT_EQ(error_of(decode_worker_message(Json{{"op", std::string(1000, 'x')}})),
            "unknown op '" + std::string(40, 'x') + "...' (a worker sends ready, progress or finish)");
  for (const Json& no_op :
       {Json{{"op", 5}}, Json{{"id", "j1"}}, Json::array(), Json(nullptr), Json("finish")}) {
    EXPECT_EQ(error_of(decode_worker_message(no_op)), "the message has no string 'op'") << no_op.dump();
    EXPECT_EQ(error_of(decode_master_message(no_op)), "the message has no string 'op'") << no_op.dump();
  }
}

TEST(PoolMessagesTest, ADecoderCalledOnAnotherMessageSaysSo) {
  EXPECT_EQ(error_of(decode_finish(read_back(encode(sample_progress())))),
            "finish: field 'op' must be 'finish', not 'progress'");
  EXPECT_EQ(error_of(decode_stop(Json{{"op", 1}})), "stop: field 'op' must be a string, not 1");
  EXPECT_EQ(error_of(decode_ready(Json::object())), "ready: field 'op' is missing");
}

}  // namespace
}  // namespace fastthread::pool
