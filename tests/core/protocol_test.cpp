// Protocol v1 against its own documentation: every example in docs/protocol.md parses
// (client messages) or checks out (host messages), and the builders write them.
#include "fastthread/protocol.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace fastthread::protocol {
namespace {

struct Example {
  bool from_client;
  Message message;
};

// The ```json blocks of docs/protocol.md, with the direction of the section they are in.
std::vector<Example> doc_examples() {
  std::ifstream in(std::string(FASTTHREAD_DOCS) + "/protocol.md");
  std::vector<Example> out;
  std::string line, block;
  bool in_block = false, from_client = true;
  while (std::getline(in, line)) {
    if (line.rfind("## Client -> host", 0) == 0) from_client = true;
    if (line.rfind("## Host -> client", 0) == 0) from_client = false;
    if (line == "```json") {
      in_block = true;
      block.clear();
    } else if (in_block && line == "```") {
      in_block = false;
      out.push_back({from_client, Message::parse(block)});
    } else if (in_block) {
      block += line + "\n";
    }
  }
  return out;
}

TEST(Protocol, EveryDocumentedClientMessageParses) {
  int n = 0;
  for (const auto& e : doc_examples()) {
    if (!e.from_client) continue;
    auto parsed = parse_client_message(e.message.dump());
    ASSERT_TRUE(std::holds_alternative<ClientMessage>(parsed))
        << e.message.dump() << ": " << std::get<BadRequest>(parsed).message;
    ++n;
  }
  EXPECT_EQ(n, 4);  // hello (with and without a token), start, cancel
}

TEST(Protocol, EveryDocumentedHostMessageChecksOut) {
  std::set<std::string> ops;
  for (const auto& e : doc_examples()) {
    if (e.from_client) continue;
    EXPECT_EQ(check_host_message(e.message), std::nullopt) << e.message.dump();
    ops.insert(e.message["op"].get<std::string>());
  }
  EXPECT_EQ(ops, (std::set<std::string>{"hello", "queued", "start", "progress", "finish", "error", "cancel", "pool"}));
}

TEST(Protocol, BuildersWriteTheDocumentedShapes) {
  const auto examples = doc_examples();
  auto doc = [&](const std::string& op) {
    for (const auto& e : examples) {
      if (!e.from_client && e.message["op"] == op) return e.message;
    }
    return Message();
  };
  EXPECT_EQ(queued("f1", 0), doc("queued"));
  EXPECT_EQ(started("f1", "server", 1), doc("start"));
  EXPECT_EQ(progress("f1", "parse", 524288, 1048576, 4711), doc("progress"));
  EXPECT_EQ(cancelled("f1"), doc("cancel"));
  EXPECT_EQ(error("f1", ErrorCode::parse_error,
                  "row 17 has 5 fields, expected 4 (stopped at the first bad row: max_errors is 0)",
                  Place{17, 18, 2045}),
            doc("error"));
  const auto f = doc("finish");
  EXPECT_EQ(finish("f1", f["summary"], {"/api/jobs/f1/output", 901234, "ndjson"}, {0.4, 12.8, 15.1}, "server", 1, false),
            f);
  PoolStatus p{"server", 2, 1, 3, 40, 1,
               {{0, 4242, "busy", "", 21, 9437184, 3.51}, {1, 4243, "idle", "", 19, 8388608, 2.97}}};
  EXPECT_EQ(pool(p), doc("pool"));
  const auto h = doc("hello");
  EXPECT_EQ(hello("c-3f1e0a9b7c2d4e5f60718293a4b5c6d7", h["server"]), h);
}

TEST(Protocol, StartFieldsAreRead) {
  auto parsed = parse_client_message(
      R"({"op":"start","id":"a.b_c-1","name":"x.csv","size":10,"options":{"to":"csv"},"priority":-5,"extra":true})");
  ASSERT_TRUE(std::holds_alternative<ClientMessage>(parsed));
  const auto& s = std::get<Start>(std::get<ClientMessage>(parsed));
  EXPECT_EQ(s.id, "a.b_c-1");
  EXPECT_EQ(s.name, "x.csv");
  EXPECT_EQ(s.size, 10u);
  EXPECT_FALSE(s.sha256);
  EXPECT_EQ(s.options["to"], "csv");
  EXPECT_EQ(s.priority, -5);
}

TEST(Protocol, MalformedMessagesAreBadRequestsThatSayWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"{nope", "the message is not valid JSON"},
      {"[1,2]", "the message must be a JSON object"},
      {R"({"id":"x"})", "field 'op' is missing"},
      {R"({"op":7})", "field 'op' must be a string, not number"},
      {R"({"op":"strat"})", "unknown op 'strat' (a client sends hello, start or cancel)"},
      {R"({"op":"start","name":"a","size":1})", "field 'id' is missing"},
      {R"({"op":"start","id":"../etc","name":"a","size":1})",
       "field 'id' must be 1 to 64 letters, digits, '.', '_' or '-'"},
      {R"({"op":"start","id":"f","name":"a","size":-1})", "field 'size' must be a non-negative integer"},
      {R"({"op":"start","id":"f","name":"a","size":"big"})", "field 'size' must be a non-negative integer"},
      {R"({"op":"start","id":"f","name":"a","size":1,"sha256":"XYZ"})", "field 'sha256' must be 64 lowercase hex digits"},
      {R"({"op":"start","id":"f","name":"a","size":1,"options":[]})", "field 'options' must be an object"},
      {R"({"op":"start","id":"f","name":"a","size":1,"priority":1000})",
       "field 'priority' must be an integer from -100 to 100"},
      {R"({"op":"cancel"})", "field 'id' is missing"},
      {R"({"op":"hello","v":2})", "this host speaks protocol version 1"},
  };
  for (const auto& [text, why] : cases) {
    auto parsed = parse_client_message(text);
    ASSERT_TRUE(std::holds_alternative<BadRequest>(parsed)) << text;
    EXPECT_EQ(std::get<BadRequest>(parsed).message, why) << text;
  }
  auto named = parse_client_message(R"({"op":"start","id":"f9","name":"a","size":"x"})");
  EXPECT_EQ(std::get<BadRequest>(named).id, "f9");
}

// Copying or printing a JSON value recurses over its depth: a client's message may not
// nest deep enough to overflow the host's stack (this one is 1 MB; an operator may raise
// --max-text-bytes that far). The protocol itself nests 3 levels.
TEST(Protocol, MessagesNestedPastTheLimitAreRefusedWithoutBeingBuilt) {
  const std::string deep = std::string(500'000, '[') + std::string(500'000, ']');
  auto parsed = parse_client_message(R"({"op":"start","id":"f1","name":"a.csv","size":1,"options":{"nulls":)" +
                                     deep + "}}");
  ASSERT_TRUE(std::holds_alternative<BadRequest>(parsed));
  EXPECT_EQ(std::get<BadRequest>(parsed).message, "the message nests deeper than 16 levels");

  // An unknown field 16 levels deep (the message is level 1) is ignored like any other.
  const auto nested = [](int levels) {
    return R"({"op":"hello","client_id":"","x":)" + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "}";
  };
  EXPECT_TRUE(std::holds_alternative<ClientMessage>(parse_client_message(nested(16))));
  parsed = parse_client_message(nested(17));
  ASSERT_TRUE(std::holds_alternative<BadRequest>(parsed));
  EXPECT_EQ(std::get<BadRequest>(parsed).message, "the message nests deeper than 16 levels");
  // Broken JSON stays broken JSON, however deep.
  parsed = parse_client_message(R"({"op":"hello","x":)" + std::string(100, '['));
  EXPECT_EQ(std::get<BadRequest>(parsed).message, "the message is not valid JSON");
}

TEST(Protocol, HostMessageCheckFindsMistakes) {
  EXPECT_TRUE(check_host_message(Message{{"op", "progress"}, {"id", "f"}, {"phase", "upload"}, {"bytes", 1}, {"rows", 0}}));
  EXPECT_TRUE(check_host_message(Message{{"op", "queued"}, {"id", "f"}, {"position", -1}}));
  EXPECT_TRUE(check_host_message(Message{{"op", "teleport"}}));
  EXPECT_FALSE(check_host_message(cancelled("f")));
}

}  // namespace
}  // namespace fastthread::protocol
