// The access log: one entry per call with what an operator greps for, and
// its JSON line.
#include <chrono>
#include <mutex>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <idlrpc/access_log.hpp>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

struct Entry {
  std::string method, peer, status, message, json;
  MessageCounts messages;
};

TEST(AccessLogTest, OneEntryPerCallWithItsOutcome) {
  std::mutex mutex;
  std::vector<Entry> entries;
  auto log = access_log([&](const AccessLogEntry& e) {
    std::lock_guard lock(mutex);
    entries.push_back({std::string(e.method), std::string(e.peer), std::string(to_string(e.code)),
                       std::string(e.message), to_json(e), e.messages});
  });
  TestServer server(Style::kBlocking, {.interceptors = {log}});
  auto client = server.client();
  client.Echo({.text = "hi", .response_bytes = 100});
  EXPECT_EQ(code_of([&] { client.Echo({.text = "no \"such\" city\n", .fail_code = 5}); }), StatusCode::NOT_FOUND);
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(mutex);
    return entries.size() == 2;
  }));
  std::lock_guard lock(mutex);
  EXPECT_EQ(entries[0].method, "/idlrpc.test.Tester/Echo");
  EXPECT_TRUE(entries[0].peer.starts_with("127.0.0.1:")) << entries[0].peer;
  EXPECT_EQ(entries[0].status, "OK");
  EXPECT_EQ(entries[0].messages.received, 1u);
  EXPECT_EQ(entries[0].messages.sent, 1u);
  EXPECT_GT(entries[0].messages.bytes_sent, 100u);
  EXPECT_EQ(entries[1].status, "NOT_FOUND");
  EXPECT_EQ(entries[1].message, "no \"such\" city\n");
  const std::regex line(
      R"re(\{"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","method":"/idlrpc\.test\.Tester/Echo","peer":"127\.0\.0\.1:\d+","status":"NOT_FOUND","message":"no \\"such\\" city\\n","duration_ms":\d+\.\d{3},"messages_received":1,"bytes_received":\d+,"messages_sent":0,"bytes_sent":0\})re");
  EXPECT_TRUE(std::regex_match(entries[1].json, line)) << entries[1].json;
}

}  // namespace
}  // namespace idlrpc::test
