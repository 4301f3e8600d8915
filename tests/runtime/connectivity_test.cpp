// A channel's connectivity state (idle, connecting, ready, transient
// failure, shutdown), watched blocking and asynchronously, and calls that
// wait for ready instead of failing fast while the channel cannot connect
// (issue 13, docs/scaling.md). Servers on loopback start late or never;
// every wait is bounded, and the bounds are liveness bounds (seconds),
// never what a test measures.
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <idlrpc/channel_watch.hpp>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;
using State = ConnectivityState;

std::chrono::steady_clock::time_point in(std::chrono::milliseconds wait) {
  return std::chrono::steady_clock::now() + wait;
}

/// An address on `host` where nothing listens (a port just bound and
/// released), for a server that starts there later or never.
std::string free_address(const std::string& host = "127.0.0.1") {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address(host), 0});
  return host + ":" + std::to_string(acceptor.local_endpoint().port());
}

ChannelOptions quick_backoff(LbPolicy policy = LbPolicy::pick_first) {
  ChannelOptions options;
  options.lb_policy = policy;
  options.initial_backoff = 20ms;
  options.max_backoff = 200ms;
  return options;
}

/// Follows the state with wait_for_state_change until it is `wanted` (at
/// most 50 changes, 10 s each); `seen` gets the states on the way.
bool reaches(const Channel& channel, State wanted, std::vector<State>* seen = nullptr) {
  State state = channel.state();
  for (int changes = 0; state != wanted && changes < 50; ++changes) {
    if (!channel.wait_for_state_change(state, in(10s))) return false;
    state = channel.state();
    if (seen != nullptr) seen->push_back(state);
  }
  return state == wanted;
}

TEST(ConnectivityState, GoesFromIdleThroughConnectingToReadyWhenAsked) {
  TestServer server(Style::kBlocking);
  Channel channel(server.address());
  EXPECT_EQ(channel.state(), State::idle);
  // Nobody asked for a connection: none is made.
  EXPECT_FALSE(channel.wait_for_state_change(State::idle, in(100ms)));
  EXPECT_EQ(channel.state(), State::idle);

  EXPECT_EQ(channel.state(true), State::idle);  // the state before the request
  std::vector<State> seen;
  ASSERT_TRUE(reaches(channel, State::ready, &seen));
  for (State s : seen) EXPECT_TRUE(s == State::connecting || s == State::ready) << to_string(s);

  Tester::Client client(channel);
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  EXPECT_EQ(channel.state(), State::ready);
  EXPECT_FALSE(channel.wait_for_state_change(State::ready, in(100ms)));
}

TEST(ConnectivityState, TheDocumentedLoopReachesReadyOnceTheServerStarts) {
  // docs/scaling.md's loop: state(true) each turn, so a pick_first channel
  // that went back to idle after a backoff connects again.
  const std::string address = free_address();
  Channel channel(address, quick_backoff());
  std::optional<TestServer> server;
  std::jthread starter([&] {
    std::this_thread::sleep_for(300ms);
    server.emplace(Style::kBlocking, ServerOptions{}, address);
  });
  const auto deadline = in(20s);
  int turns = 0;
  for (auto s = channel.state(true); s != State::ready && turns < 1000; s = channel.state(true), ++turns) {
    if (!channel.wait_for_state_change(s, deadline)) break;
  }
  EXPECT_EQ(channel.state(), State::ready) << "after " << turns << " changes";
  starter.join();
}

TEST(ConnectivityState, TheFirstCallMakesAnIdleChannelConnect) {
  TestServer server(Style::kBlocking);
  Channel channel(server.address());
  auto changed = async_wait_for_state_change(channel, State::idle, in(10s), boost::asio::use_future);
  Tester::Client client(channel);
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  EXPECT_TRUE(changed.get());
  EXPECT_EQ(channel.state(), State::ready);
}

TEST(ConnectivityState, ACoroutineAwaitsTheChanges) {
  TestServer server(Style::kBlocking);
  Channel channel(server.address());
  auto& io = coroutine_io();
  io.restart();
  std::vector<State> seen;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        State state = channel.state(true);
        for (int changes = 0; state != State::ready && changes < 50; ++changes) {
          const auto deadline = in(10s);
          if (!co_await async_wait_for_state_change(channel, state, deadline, boost::asio::use_awaitable)) break;
          state = channel.state(true);
          seen.push_back(state);
        }
      },
      boost::asio::detached);
  io.run();
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back(), State::ready);
}

TEST(ConnectivityState, IsConnectingWhileTheHandshakeIsUnanswered) {
  // A listener that accepts but never answers: the connect stays in its
  // handshake, and the channel in connecting, until connect_timeout.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  ChannelOptions options;
  options.connect_timeout = 60s;
  Channel channel("127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()), options);
  auto changed = async_wait_for_state_change(channel, State::idle, in(10s), boost::asio::use_future);
  channel.state(true);
  EXPECT_TRUE(changed.get());
  EXPECT_EQ(channel.state(), State::connecting);
  auto peer = acceptor.accept();
  EXPECT_FALSE(channel.wait_for_state_change(State::connecting, in(200ms)));
  EXPECT_EQ(channel.state(), State::connecting);
}

TEST(ConnectivityState, IsTransientFailureWhileBackingOffThenIdleAgain) {
  ChannelOptions options;
  options.initial_backoff = 1s;  // long enough to see it, short enough to wait out
  Channel channel(free_address(), options);
  channel.state(true);
  ASSERT_TRUE(reaches(channel, State::transient_failure));
  // A call now fails fast, naming the backoff.
  Tester::Client client(channel);
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::UNAVAILABLE);
  // pick_first with no call waiting: the end of the backoff makes it idle.
  EXPECT_TRUE(channel.wait_for_state_change(State::transient_failure, in(10s)));
  EXPECT_EQ(channel.state(), State::idle);
}

TEST(ConnectivityState, RoundRobinWithEveryAddressDownKeepsTrying) {
  Channel channel("ipv4:" + free_address("127.0.0.1") + "," + free_address("127.0.0.2"),
                  quick_backoff(LbPolicy::round_robin));
  channel.state(true);
  EXPECT_TRUE(reaches(channel, State::transient_failure));
  // round_robin reconnects on its own after each backoff: connecting again.
  EXPECT_TRUE(reaches(channel, State::connecting));
}

TEST(ConnectivityState, AMalformedTargetIsInTransientFailure) {
  Channel channel("ipv4:[::1]:80");
  EXPECT_EQ(channel.state(), State::transient_failure);
}

TEST(ConnectivityState, AsyncWaitEndsWithFalseAtItsDeadlineOrWhenCancelled) {
  Channel channel(free_address());
  auto timed_out = async_wait_for_state_change(channel, State::idle, in(50ms), boost::asio::use_future);
  ASSERT_EQ(timed_out.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(timed_out.get());

  boost::asio::cancellation_signal cancel;
  std::promise<bool> result;
  async_wait_for_state_change(channel, State::idle, in(60s),
                              boost::asio::bind_cancellation_slot(
                                  cancel.slot(), [&](bool changed) { result.set_value(changed); }));
  cancel.emit(boost::asio::cancellation_type::terminal);
  auto cancelled = result.get_future();
  ASSERT_EQ(cancelled.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(cancelled.get());
}

TEST(ConnectivityState, AsyncWaitCompletesAtOnceWhenTheStateAlreadyDiffers) {
  Channel channel(free_address());
  auto changed = async_wait_for_state_change(channel, State::ready, in(60s), boost::asio::use_future);
  ASSERT_EQ(changed.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(changed.get());
}

TEST(ConnectivityState, AWaitPendingWhenTheChannelGoesAwaySeesShutdown) {
  std::future<bool> changed;
  {
    Channel channel(free_address());
    changed = async_wait_for_state_change(channel, State::idle, in(60s), boost::asio::use_future);
    // The wait registers on the I/O thread; let it, then drop the channel.
    EXPECT_FALSE(channel.wait_for_state_change(State::idle, in(50ms)));
  }
  ASSERT_EQ(changed.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(changed.get());
}

TEST(ConnectivityState, TheBlockingWaitRefusesToRunOnTheIoThread) {
  Channel channel(free_address());
  std::promise<bool> threw;
  // A completion with no executor of its own runs on the channel's I/O
  // thread, where a blocking wait could never see the change it waits for.
  async_wait_for_state_change(channel, State::ready, in(10s), [&](bool) {
    try {
      channel.wait_for_state_change(State::idle, in(1s));
      threw.set_value(false);
    } catch (const std::logic_error&) {
      threw.set_value(true);
    }
  });
  auto result = threw.get_future();
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(result.get());
}

// --- wait_for_ready ---

TEST(WaitForReady, ACallSucceedsAgainstAServerThatStartsAfterIt) {
  const std::string address = free_address();
  Channel channel(address, quick_backoff());
  Tester::Client client(channel);
  TestRequest request;
  request.text = "late server";
  auto call = client.async_Echo(request, CallOptions().set_wait_for_ready().set_timeout(20s), boost::asio::use_future);
  // The call waits through several failed connects (20 ms, 40 ms, ... backoff).
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(call.wait_for(0s), std::future_status::timeout) << "the call did not wait";
  EXPECT_NE(channel.state(), State::ready);
  TestServer server(Style::kBlocking, {}, address);
  ASSERT_EQ(call.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(call.get().text, "late server");
  EXPECT_EQ(channel.state(), State::ready);
}

TEST(WaitForReady, WithoutItTheSameCallFailsFast) {
  Tester::Client client(Channel(free_address(), quick_backoff()));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}, CallOptions().set_timeout(20s)); }), StatusCode::UNAVAILABLE);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s) << "did not fail fast";
  // And while backing off, a call fails at once too.
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}, CallOptions().set_timeout(20s)); }), StatusCode::UNAVAILABLE);
}

TEST(WaitForReady, ACallWithNoServerEndsAtItsDeadline) {
  Tester::Client client(Channel(free_address(), quick_backoff()));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}, CallOptions().set_wait_for_ready().set_timeout(500ms)); }),
            StatusCode::DEADLINE_EXCEEDED);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 400ms) << "ended before its deadline";
  EXPECT_LT(took, 10s);
}

TEST(WaitForReady, ACancelledCallEndsCancelled) {
  Tester::Client client(Channel(free_address(), quick_backoff()));
  std::stop_source stop;
  auto call = client.async_Echo(TestRequest{}, CallOptions().set_wait_for_ready().set_cancellation(stop.get_token()),
                                boost::asio::use_future);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(call.wait_for(0s), std::future_status::timeout) << "the call did not wait";
  stop.request_stop();
  ASSERT_EQ(call.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::CANCELLED);
}

TEST(WaitForReady, ManyWaitingCallsAllCompleteWhenTheServerComes) {
  const std::string address = free_address();
  Tester::Client client(Channel(address, quick_backoff()));
  std::vector<std::future<TestResponse>> calls;
  for (int i = 0; i < 20; ++i) {
    calls.push_back(client.async_Echo(TestRequest{}, CallOptions().set_wait_for_ready().set_timeout(20s),
                                      boost::asio::use_future));
  }
  std::this_thread::sleep_for(300ms);
  TestServer server(Style::kCoroutine, {}, address);
  for (auto& call : calls) {
    ASSERT_EQ(call.wait_for(10s), std::future_status::ready);
    EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::OK);
  }
}

TEST(WaitForReady, AStreamingCallWaitsToo) {
  const std::string address = free_address();
  Tester::Client client(Channel(address, quick_backoff()));
  TestRequest request;
  request.count = 3;
  auto received = std::async(std::launch::async, [&] {
    int messages = 0;
    for (auto& message : client.Count(request, CallOptions().set_wait_for_ready().set_timeout(20s))) {
      EXPECT_EQ(message.text, std::to_string(messages));
      ++messages;
    }
    return messages;
  });
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(received.wait_for(0s), std::future_status::timeout) << "the call did not wait";
  TestServer server(Style::kBlocking, {}, address);
  ASSERT_EQ(received.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(received.get(), 3);
}

TEST(WaitForReady, RoundRobinSendsEveryCallToTheAddressesThatAreUp) {
  TestServer up(Style::kBlocking, {}, "127.0.0.3:0");
  Channel channel("ipv4:" + free_address("127.0.0.1") + "," + free_address("127.0.0.2") + "," + up.address(),
                  quick_backoff(LbPolicy::round_robin));
  Tester::Client client(channel);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}, CallOptions().set_wait_for_ready().set_timeout(20s)); }),
              StatusCode::OK);
  }
  EXPECT_EQ(up.observed().started, 20);
  EXPECT_EQ(channel.state(), State::ready);
}

TEST(WaitForReady, RoundRobinCallsWaitUntilOneOfTheAddressesComesUp) {
  const std::string down = free_address("127.0.0.1");
  const std::string late = free_address("127.0.0.2");
  Channel channel("ipv4:" + down + "," + late, quick_backoff(LbPolicy::round_robin));
  Tester::Client client(channel);
  auto call = client.async_Echo(TestRequest{}, CallOptions().set_wait_for_ready().set_timeout(20s),
                                boost::asio::use_future);
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(call.wait_for(0s), std::future_status::timeout) << "the call did not wait";
  // Without wait_for_ready a call fails while both are down.
  EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::UNAVAILABLE);
  TestServer server(Style::kBlocking, {}, late);
  ASSERT_EQ(call.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::OK);
  EXPECT_EQ(server.observed().started, 1);
}

}  // namespace
}  // namespace idlrpc::test
