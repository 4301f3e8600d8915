// Health-aware balancing (issue 14, docs/scaling.md): with
// ChannelOptions::health_check_service, each connection watches its
// server's health, and only servers that report SERVING get new calls.
// Also: calls a server refused before any handler saw them (TRAILERS with
// `refused`) go to another server.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "replicas.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

ChannelOptions health_checked(LbPolicy policy) {
  ChannelOptions options = fast(policy);
  options.health_check_service = "";
  return options;
}

bool all_called(Tester::Client& client, const Replicas& replicas) {
  return eventually([&] {
    const auto got = replicas.spread(client, 10);
    return std::all_of(got.begin(), got.end(), [](int n) { return n > 0; });
  });
}

TEST(HealthAwareBalancing, AReplicaReportingNotServingGetsNoCallsUntilItServesAgain) {
  Replicas replicas(3, {}, WithHealth::kYes);
  Tester::Client client(Channel(replicas.ipv4_target(), health_checked(LbPolicy::round_robin)));
  ASSERT_TRUE(all_called(client, replicas));

  replicas.servers[1]->health().set_status("", ServingStatus::NOT_SERVING);
  // The report travels over the watch stream: once it has arrived, the
  // replica gets nothing more.
  ASSERT_TRUE(eventually([&] { return replicas.spread(client, 10)[1] == 0; }));
  const auto got = replicas.spread(client, 300);
  std::cout << "while replica 2 is NOT_SERVING: " << got[0] << ", " << got[1] << ", " << got[2] << "\n";
  EXPECT_EQ(got[1], 0);
  EXPECT_GE(got[0], 135);  // the other two share evenly (±10 %)
  EXPECT_GE(got[2], 135);

  replicas.servers[1]->health().set_status("", ServingStatus::SERVING);
  EXPECT_TRUE(eventually([&] { return replicas.spread(client, 30)[1] > 0; })) << "the replica did not come back";
}

TEST(HealthAwareBalancing, TheWatchedServiceIsTheOneNamed) {
  Replicas replicas(2, {}, WithHealth::kYes);
  ChannelOptions options = health_checked(LbPolicy::round_robin);
  options.health_check_service = "idlrpc.test.Tester";
  Tester::Client client(Channel(replicas.ipv4_target(), options));
  ASSERT_TRUE(all_called(client, replicas));
  // Another service's status changes nothing.
  replicas.servers[0]->health().set_status("", ServingStatus::NOT_SERVING);
  replicas.servers[0]->health().set_status("other.Service", ServingStatus::NOT_SERVING);
  std::this_thread::sleep_for(100ms);
  EXPECT_GT(replicas.spread(client, 20)[0], 0);
  replicas.servers[0]->health().set_status("idlrpc.test.Tester", ServingStatus::NOT_SERVING);
  EXPECT_TRUE(eventually([&] { return replicas.spread(client, 10)[0] == 0; }));
}

TEST(HealthAwareBalancing, AServerWithoutTheHealthServiceCountsAsServing) {
  Replicas replicas(2);  // no health service: the watch ends UNIMPLEMENTED
  Tester::Client client(Channel(replicas.ipv4_target(), health_checked(LbPolicy::round_robin)));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  EXPECT_GT(replicas.calls(0), 0);
  EXPECT_GT(replicas.calls(1), 0);
}

TEST(HealthAwareBalancing, WhenNoServerIsServingCallsFailFastWithTheReasonAndWaitForReadyWaits) {
  Replicas replicas(1, {}, WithHealth::kYes);
  replicas.servers[0]->health().set_status("", ServingStatus::NOT_SERVING);
  Channel channel(replicas.ipv4_target(), health_checked(LbPolicy::pick_first));
  Tester::Client client(channel);
  // The first call waits while the watch has not answered, then fails.
  try {
    client.Echo(TestRequest{}, CallOptions{}.set_timeout(10s));
    ADD_FAILURE() << "a call went to a server that is not serving";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE);
    EXPECT_NE(e.message().find("reports NOT_SERVING"), std::string::npos) << e.message();
  }
  // The state is published right after the waiting calls are failed.
  EXPECT_TRUE(eventually([&] { return channel.state() == ConnectivityState::transient_failure; }));
  EXPECT_EQ(replicas.calls(0), 0);

  CallOptions waiting = CallOptions{}.set_timeout(20s);
  waiting.wait_for_ready = true;
  auto call = std::async(std::launch::async, [&] { return code_of([&] { client.Echo(TestRequest{}, waiting); }); });
  EXPECT_EQ(call.wait_for(200ms), std::future_status::timeout) << "a call that waits for ready did not wait";
  replicas.servers[0]->health().set_status("", ServingStatus::SERVING);
  EXPECT_EQ(call.get(), StatusCode::OK);
  EXPECT_EQ(replicas.calls(0), 1);
}

// A server shutting down with a drain delay reports NOT_SERVING first:
// under a steady load, its calls stop before its GOAWAY, and no call fails.
TEST(HealthAwareBalancing, AServerInItsDrainDelayGetsNoNewCallsAndNoCallFails) {
  ServerOptions options;
  options.drain_delay = 1500ms;
  Replicas replicas(3, options, WithHealth::kYes);
  Tester::Client client(Channel(replicas.ipv4_target(), health_checked(LbPolicy::round_robin)));
  ASSERT_TRUE(all_called(client, replicas));
  std::atomic<bool> stop{false};
  std::atomic<int> failed{0};
  std::vector<std::jthread> load;
  for (int t = 0; t < 3; ++t) {
    load.emplace_back([&] {
      while (!stop) {
        if (code_of([&] { client.Echo(TestRequest{}); }) != StatusCode::OK) ++failed;
      }
    });
  }
  const auto shutting_down = std::chrono::steady_clock::now();
  std::jthread shutdown([&] { replicas.servers[1]->server().shutdown(2s); });
  // Still inside the drain delay: the replica's count stops growing.
  bool quiet = eventually([&] {
    const int before = replicas.calls(1);
    std::this_thread::sleep_for(100ms);
    return replicas.calls(1) == before;
  });
  const auto took = std::chrono::steady_clock::now() - shutting_down;
  EXPECT_TRUE(quiet);
  EXPECT_LT(took, 1500ms) << "calls went on until the drain delay was over";
  shutdown.join();
  stop = true;
  load.clear();
  EXPECT_EQ(failed, 0);
}

// Replica A's handler of an abandoned call is still running, which holds
// its only call slot: A refuses new calls on that connection before any
// handler sees them. Those calls go to B, transparently.
TEST(RefusedCalls, ACallAServerRefusedGoesToAnotherServer) {
  ServerOptions options;
  options.max_concurrent_calls_per_connection = 1;
  Replicas replicas(2, options);
  Tester::Client client(Channel(replicas.ipv4_target(), fast(LbPolicy::round_robin)));
  ASSERT_TRUE(eventually([&] {
    const auto got = replicas.spread(client, 4);
    return got[0] > 0 && got[1] > 0;
  }));
  TestRequest slow;
  slow.delay_ms = 2000;  // the blocking handler sleeps through its cancellation
  EXPECT_EQ(code_of([&] { client.Echo(slow, CallOptions{}.set_timeout(50ms)); }), StatusCode::DEADLINE_EXCEEDED);
  const int started_before[] = {replicas.calls(0), replicas.calls(1)};
  for (int i = 0; i < 20; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  const int got[] = {replicas.calls(0) - started_before[0], replicas.calls(1) - started_before[1]};
  std::cout << "after the abandoned call: " << got[0] << " and " << got[1] << " calls\n";
  // One replica refused every call while its slot was held; the other took all 20.
  EXPECT_TRUE((got[0] == 0 && got[1] == 20) || (got[0] == 20 && got[1] == 0));
}

}  // namespace
}  // namespace idlrpc::test
