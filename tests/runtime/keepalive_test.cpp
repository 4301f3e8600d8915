// Connection liveness: keepalive pings from either side find a peer that
// stopped answering (simulated by a relay that turns into a black hole,
// support/tcp_relay.hpp), leave healthy idle streams alone, stay off by
// default, and back off when the server's ping policy says too_many_pings.
//
// Intervals here are a few hundred milliseconds, below the 10 s a Channel
// allows: the fixture lowers that floor through the test-only hook
// (runtime/src/testing/keepalive_floor.hpp) and puts it back afterwards.
// Every wait is bounded; time bounds are generous liveness checks.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "keepalive_floor.hpp"
#include "log_capture.hpp"
#include "tcp_relay.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class KeepaliveTest : public ::testing::Test {
 protected:
  void SetUp() override { previous_floor_ = idlrpc::detail::set_client_keepalive_floor_for_tests(50ms); }
  void TearDown() override { idlrpc::detail::set_client_keepalive_floor_for_tests(previous_floor_); }

  /// Count: one message, then an idle stream until cancelled.
  static TestRequest idle_stream() {
    TestRequest request;
    request.count = 1;
    request.wait_for_cancel = true;
    return request;
  }

  /// A channel through `relay` that pings after `time` of silence.
  static Tester::Client keepalive_client(const TcpRelay& relay, std::chrono::milliseconds time,
                                         std::chrono::milliseconds timeout) {
    ChannelOptions options;
    options.keepalive_time = time;
    options.keepalive_timeout = timeout;
    return Tester::Client(Channel(relay.address(), options));
  }

  std::chrono::milliseconds previous_floor_{};
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

/// Waits until the relay has carried nothing for 200 ms (what a read sets
/// off, such as flow-control credit returned once the application took a
/// message, has gone through), then returns the bytes sent to the server
/// and to the client so far.
std::pair<std::uint64_t, std::uint64_t> quiet_counts(const TcpRelay& relay) {
  std::pair<std::uint64_t, std::uint64_t> counts{relay.bytes_to_server(), relay.bytes_to_client()};
  for (int i = 0; i < 50; ++i) {
    std::this_thread::sleep_for(200ms);
    const std::pair<std::uint64_t, std::uint64_t> now{relay.bytes_to_server(), relay.bytes_to_client()};
    if (now == counts) break;
    counts = now;
  }
  return counts;
}

TEST_F(KeepaliveTest, ClientKeepaliveFailsTheCallsOfAPeerThatStoppedAnswering) {
  ServerOptions server_options;
  server_options.min_ping_interval = 0ms;  // this test's fast pings are welcome
  TestServer server(Style::kBlocking, server_options);
  TcpRelay relay(server.server().port());
  Tester::Client client = keepalive_client(relay, 300ms, 500ms);

  auto reader = client.Count(idle_stream());  // no deadline: only keepalive can end it
  ASSERT_TRUE(reader.read().has_value());
  relay.freeze();
  const auto frozen_at = Clock::now();
  try {
    reader.read();
    FAIL() << "the stream outlived a dead peer";
  } catch (const RpcError& e) {
    const auto took = Clock::now() - frozen_at;
    EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE) << e.message();
    EXPECT_TRUE(contains(e.message(), "keepalive timed out")) << e.message();
    EXPECT_TRUE(contains(e.message(), relay.address())) << e.message();
    // keepalive_time + keepalive_timeout is 0.8 s; the bound only proves
    // the failure came from keepalive, not from some hour-long TCP timer.
    EXPECT_LT(took, 15s);
    std::printf("[ measured ] dead peer detected %lld ms after it went silent (time 300 ms + timeout 500 ms)\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
  }
}

TEST_F(KeepaliveTest, ServerKeepaliveClosesTheConnectionOfASilentClient) {
  LogCapture log;
  ServerOptions server_options;
  server_options.keepalive_time = 300ms;
  server_options.keepalive_timeout = 500ms;
  TestServer server(Style::kBlocking, server_options);
  TcpRelay relay(server.server().port());
  Tester::Client client(Channel(relay.address()));  // the client's own keepalive is off

  auto reader = client.Count(idle_stream());
  ASSERT_TRUE(reader.read().has_value());
  // Answered pings keep the connection: a few keepalive periods pass first.
  std::this_thread::sleep_for(1s);
  EXPECT_EQ(server.observed().saw_cancellation.load(), 0);
  relay.freeze();
  // The handler's context is cancelled, as when a client disconnects.
  EXPECT_TRUE(eventually([&] { return server.observed().saw_cancellation.load() == 1; }));
  EXPECT_EQ(log.count_containing("keepalive timed out"), 1u);
}

TEST_F(KeepaliveTest, TooManyPingsDoublesTheIntervalForNewConnectionsWithOneWarning) {
  LogCapture log;
  ServerOptions server_options;
  server_options.min_ping_interval = 500ms;
  server_options.max_ping_strikes = 1;
  TestServer server(Style::kBlocking, server_options);
  TcpRelay relay(server.server().port());
  Tester::Client client = keepalive_client(relay, 300ms, 5s);  // faster than the server allows
  // No message ever comes back on this stream, so the server never
  // forgives a strike; the deadline only bounds the test if it did.
  TestRequest silent;
  silent.wait_for_cancel = true;

  {
    auto reader = client.Count(silent, CallOptions{}.set_timeout(30s));
    try {
      reader.read();
      FAIL() << "the server kept a connection that pinged too often";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE) << e.message();
    }
  }
  ASSERT_TRUE(eventually([&] { return log.count_containing("doubled to") == 1; })) << ::testing::PrintToString(log.lines());
  for (const auto& line : log.lines()) {
    if (contains(line, "doubled to")) {
      EXPECT_TRUE(contains(line, "keepalive_time 300 ms doubled to 600 ms")) << line;
      EXPECT_TRUE(contains(line, "refused pings every 300 ms")) << line;
      EXPECT_TRUE(contains(line, "min_ping_interval")) << line;
    }
  }
  EXPECT_EQ(log.count_containing("too many pings"), 1u);  // the server's line

  // The next connection pings every 600 ms, which the server allows: pings
  // flow (bytes reach the server over an idle stream) and none is a strike.
  auto reader = client.Count(silent, CallOptions{}.set_timeout(30s));
  ASSERT_TRUE(eventually([&] { return server.observed().started.load() == 2; }));
  const auto before = relay.bytes_to_server();
  std::this_thread::sleep_for(3s);
  EXPECT_GT(relay.bytes_to_server(), before);
  EXPECT_EQ(log.count_containing("too many pings"), 1u);
  EXPECT_EQ(log.count_containing("doubled to"), 1u);
  EXPECT_EQ(server.observed().saw_cancellation.load(), 1);  // the first stream's only
}

TEST_F(KeepaliveTest, KeepaliveIsOffByDefault) {
  EXPECT_EQ(ChannelOptions{}.keepalive_time, 0ms);
  EXPECT_EQ(ChannelOptions{}.keepalive_timeout, 20s);
  EXPECT_FALSE(ChannelOptions{}.keepalive_without_calls);
  EXPECT_EQ(ServerOptions{}.keepalive_time, std::chrono::hours(2));
  EXPECT_EQ(ServerOptions{}.keepalive_timeout, 20s);

  TestServer server(Style::kBlocking);
  TcpRelay relay(server.server().port());
  Tester::Client client(Channel(relay.address()));
  auto reader = client.Count(idle_stream());
  ASSERT_TRUE(reader.read().has_value());
  const auto [to_server, to_client] = quiet_counts(relay);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(relay.bytes_to_server(), to_server);  // no ping
  EXPECT_EQ(relay.bytes_to_client(), to_client);
}

TEST_F(KeepaliveTest, KeepaliveTimeBelowTheFloorIsRaisedToIt) {
  idlrpc::detail::set_client_keepalive_floor_for_tests(10s);  // the real floor
  ServerOptions server_options;
  server_options.min_ping_interval = 0ms;
  TestServer server(Style::kBlocking, server_options);
  TcpRelay relay(server.server().port());
  Tester::Client client = keepalive_client(relay, 100ms, 20s);  // 100 ms counts as 10 s
  auto reader = client.Count(idle_stream());
  ASSERT_TRUE(reader.read().has_value());
  const auto to_server = quiet_counts(relay).first;
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(relay.bytes_to_server(), to_server);
}

TEST_F(KeepaliveTest, AHealthyIdleStreamStaysUpAcrossManyKeepaliveIntervals) {
  ServerOptions server_options;
  server_options.min_ping_interval = 100ms;  // the client's 200 ms is within policy
  server_options.keepalive_time = 200ms;
  server_options.keepalive_timeout = 1s;
  TestServer server(Style::kBlocking, server_options);
  TcpRelay relay(server.server().port());
  Tester::Client client = keepalive_client(relay, 200ms, 1s);

  auto chat = client.Chat();
  TestRequest request;
  request.text = "before";
  ASSERT_TRUE(chat.write(request));
  ASSERT_EQ(chat.read()->text, "before");
  const auto to_server = relay.bytes_to_server();
  const auto to_client = relay.bytes_to_client();
  std::this_thread::sleep_for(2s);  // ten keepalive intervals of silence from the application
  EXPECT_GT(relay.bytes_to_server(), to_server);  // pings and acks went both ways
  EXPECT_GT(relay.bytes_to_client(), to_client);
  request.text = "after";
  ASSERT_TRUE(chat.write(request));
  ASSERT_EQ(chat.read()->text, "after");
  EXPECT_TRUE(chat.writes_done());
  EXPECT_FALSE(chat.read().has_value());
  chat.finish();
  EXPECT_EQ(server.observed().saw_cancellation.load(), 0);
}

}  // namespace
}  // namespace idlrpc::test
