// The messages between the master and its workers: one struct per message, each with one
// encoder and one decoder. This is the only place that spells their JSON.
//
// Master -> worker:
//   {"op":"start","id":"j1","name":"big.csv","input":"/spool/j1.upload","output":"/results/j1.out",
//    "options":{...JobOptions JSON...},"available":123456,"complete":false}
//   {"op":"data","id":"j1","available":234567,"complete":true}
//   {"op":"cancel","id":"j1"}
//   {"op":"stop"}
// Worker -> master:
//   {"op":"ready","pid":1234,"jobs":0}
//   {"op":"progress","id":"j1","phase":"parse","bytes":N,"total":N|null,"rows":N,"errors":N}
//   {"op":"finish","id":"j1","state":"done"|"failed"|"cancelled",
//    "error":{"code","message","place"}|null,"process_ms":12.5,"progress":{...}?}
//       + attachment: the summary's JSON text (frame.hpp)
//
// encode() gives the whole frame. A decoder takes what FrameReader hands out and never
// throws: a missing field, a field of the wrong type or an unknown op comes back as a
// MessageError naming the op and the field. Every field the encoder writes is required;
// unknown extra fields are ignored. Both ends are the same program, so a message that does
// not decode is a bug in the peer, not a newer version: the receiver drops the peer.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <variant>

#include "fastthread/error.hpp"
#include "fastthread/job.hpp"
#include "pool/frame.hpp"

namespace fastthread::pool {

// ---- master -> worker ----------------------------------------------------------------

// Runs a job: parse `input` up to `available` bytes, write the output to `output`.
struct StartMessage {
  std::string id;
  std::string name;    // the file name, for the worker's title and the options' "name"
  std::string input;   // the spool file; more may be appended while the job runs
  std::string output;  // created or truncated by the worker
  // Any JSON: JobOptions::from_json judges it in the worker, so bad options fail the job
  // with bad_request instead of being a broken message.
  nlohmann::json options = nlohmann::json::object();
  std::uint64_t available = 0;
  bool complete = false;  // `available` is the whole input
};

// More of the input is in the file.
struct DataMessage {
  std::string id;
  std::uint64_t available = 0;
  bool complete = false;
};

// Stop the job at the next chunk; the worker answers with its finish.
struct CancelMessage {
  std::string id;
};

// Exit after the current job (EOF on the channel: exit now).
struct StopMessage {};

using MasterMessage = std::variant<StartMessage, DataMessage, CancelMessage, StopMessage>;

// ---- worker -> master ----------------------------------------------------------------

// The worker is set up and waits for a job; `jobs` it has run so far.
struct ReadyMessage {
  int pid = 0;
  std::uint64_t jobs = 0;
};

// At most one per progress_interval, after a chunk that was not the last. `bytes` are the
// spool's bytes read (compressed ones for a compressed upload), against `total`, the
// input's size once it is complete.
struct ProgressMessage {
  std::string id;
  std::string phase = "parse";
  std::uint64_t bytes = 0;
  std::optional<std::uint64_t> total;
  std::uint64_t rows = 0;
  std::uint64_t errors = 0;
};

// How the job ended. `progress` is the final progress (every available byte consumed),
// there for every job that ran to its summary; the master reports it before the finish.
struct FinishMessage {
  std::string id;
  JobState state = JobState::failed;  // done, failed or cancelled
  std::optional<JobError> error;
  double process_ms = 0;
  std::optional<ProgressMessage> progress;
  // The summary's JSON text, sent as the frame's attachment so that the master passes it
  // on without parsing it; empty when the job did not get that far.
  std::string summary_text;
};

using WorkerMessage = std::variant<ReadyMessage, ProgressMessage, FinishMessage>;

// ---- encoding and decoding -------------------------------------------------------------

// Why a message was refused, e.g. "finish: field 'id' is missing".
struct MessageError {
  std::string message;
};

template <class Message>
using Decoded = std::variant<Message, MessageError>;

std::string encode(const StartMessage& message);
std::string encode(const DataMessage& message);
std::string encode(const CancelMessage& message);
std::string encode(const StopMessage& message);
std::string encode(const ReadyMessage& message);
std::string encode(const ProgressMessage& message);
std::string encode(const FinishMessage& message);

// Each takes the message by value so that a finish's summary moves out of it, not copied.
Decoded<StartMessage> decode_start(Json message);
Decoded<DataMessage> decode_data(Json message);
Decoded<CancelMessage> decode_cancel(Json message);
Decoded<StopMessage> decode_stop(Json message);
Decoded<ReadyMessage> decode_ready(Json message);
Decoded<ProgressMessage> decode_progress(Json message);
Decoded<FinishMessage> decode_finish(Json message);

// By "op", with the decoder above; an op the other side does not send is refused.
Decoded<MasterMessage> decode_master_message(Json message);
Decoded<WorkerMessage> decode_worker_message(Json message);

}  // namespace fastthread::pool
