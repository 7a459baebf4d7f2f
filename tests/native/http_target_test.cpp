// Request targets: given this target, this path and these query parameters come back, or
// nothing when the target is malformed.
#include "server/http_target.hpp"

#include <gtest/gtest.h>

namespace fastthread::server {
namespace {

TEST(HttpTarget, PathAndQueryAreDecoded) {
  auto t = parse_target("/api/jobs/a%20b+c.csv?name=x+y%2By&to=ndjson&&flag&=v");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path, "/api/jobs/a b+c.csv");  // '+' is a space in the query only
  EXPECT_EQ(t->query, (std::map<std::string, std::string>{
                          {"", "v"}, {"flag", ""}, {"name", "x y+y"}, {"to", "ndjson"}}));
  EXPECT_EQ(percent_decode("caf%C3%A9", false), "caf\xC3\xA9");
  EXPECT_EQ(percent_decode("%e2%82%ac", false), "\xE2\x82\xAC");
}

TEST(HttpTarget, MalformedTargetsAreRefused) {
  for (const char* target : {"", "api/jobs", "/%", "/%4", "/%zz", "/a%00b", "/?x=%0"}) {
    EXPECT_FALSE(parse_target(target)) << target;
  }
}

// Names, options and paths go on into JSON (the job's stored record, its summary, the
// log), which holds text only: a server once stopped when it wrote the record of a job
// named %FF%FE.csv.
TEST(HttpTarget, BytesThatAreNotUtf8AreRefused) {
  for (const char* target : {"/api/jobs?name=%FF%FE.csv", "/caf%E9", "/?nulls=%C0%AF", "/?x=%ED%A0%80",
                             "/?x=%F4%90%80%80", "/?x=%E2%82", "/raw\xFF"}) {
    EXPECT_FALSE(parse_target(target)) << target;
  }
  EXPECT_FALSE(percent_decode("%C3", false));
  EXPECT_TRUE(parse_target("/?x=%F0%9F%98%80"));
}

}  // namespace
}  // namespace fastthread::server
