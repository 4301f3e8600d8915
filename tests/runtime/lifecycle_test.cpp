// Servers and channels coming and going: shutdown with calls in flight, a
// server restart under a live channel, address kinds, unreachable servers.
#include <poll.h>
#include <unistd.h>

#include <future>
#include <stop_token>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

class LifecycleTest : public ::testing::TestWithParam<Style> {};

TEST_P(LifecycleTest, ShutdownLetsCallsFinishWithinGraceThenCancelsTheRest) {
  TestServer server(GetParam());
  auto client = server.client();
  TestRequest slow;
  slow.delay_ms = 300;
  slow.text = "slow but in time";
  TestRequest stuck;
  stuck.wait_for_cancel = true;
  auto slow_call = client.async_Echo(slow, boost::asio::use_future);
  auto stuck_call = client.async_Echo(stuck, boost::asio::use_future);
  ASSERT_TRUE(eventually([&] { return server.observed().started == 2; }));

  server.server().shutdown(1500ms);
  EXPECT_EQ(slow_call.get().text, "slow but in time");
  EXPECT_EQ(code_of([&] { stuck_call.get(); }), StatusCode::UNAVAILABLE);
  EXPECT_EQ(server.observed().saw_cancellation, 1);

  auto after = client.async_Echo(TestRequest{}, boost::asio::use_future);
  EXPECT_EQ(code_of([&] { after.get(); }), StatusCode::UNAVAILABLE);
}

TEST_P(LifecycleTest, ChannelRecoversWhenTheServerRestarts) {
  auto first = std::make_unique<TestServer>(GetParam());
  const std::string address = first->address();
  ChannelOptions options;
  options.initial_backoff = 20ms;
  options.max_backoff = 200ms;
  Tester::Client client(Channel(address, options));
  EXPECT_EQ(client.Echo(TestRequest{}).text, "");

  first.reset();  // the server goes away under the live channel
  EXPECT_THROW(client.Echo(TestRequest{}), RpcError);

  TestServer second(GetParam(), {}, address);
  TestRequest request;
  request.text = "back";
  EXPECT_TRUE(eventually([&] {
    try {
      return client.Echo(request).text == "back";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE) << e.what();
      return false;
    }
  }));
}

TEST_P(LifecycleTest, ServesUnixSockets) {
  const std::string path = "unix:/tmp/idlrpc-test-" + std::to_string(::getpid()) + "-" + to_string(GetParam()) + ".sock";
  TestServer server(GetParam(), {}, path);
  TestRequest request;
  request.text = "over a unix socket";
  const TestResponse response = server.client().Echo(request);
  EXPECT_EQ(response.text, "over a unix socket");
  EXPECT_TRUE(response.peer.starts_with("unix:")) << response.peer;
}

TEST_P(LifecycleTest, ServesIpv6AndReportsThePortItBound) {
  std::unique_ptr<TestServer> server;
  try {
    server = std::make_unique<TestServer>(GetParam(), ServerOptions{}, "[::1]:0");
  } catch (const std::system_error& e) {
    GTEST_SKIP() << "no IPv6 loopback here: " << e.what();
  }
  EXPECT_NE(server->server().port(), 0);
  const TestResponse response = server->client().Echo(TestRequest{});
  EXPECT_TRUE(response.peer.starts_with("[::1]:")) << response.peer;
}

// "localhost" is the loopback interface whatever the resolver says
// (RFC 6761): bare containers have no /etc/hosts entry for it.
TEST_P(LifecycleTest, LocalhostIsTheLoopbackInterface) {
  TestServer server(GetParam(), {}, "0.0.0.0:0");
  const std::string port = std::to_string(server.server().port());
  for (const std::string host : {"localhost", "LocalHost.", "api.localhost"}) {
    Tester::Client client(Channel(host + ":" + port));
    const TestResponse response = client.Echo(TestRequest{});
    EXPECT_TRUE(response.peer.starts_with("127.0.0.1:")) << host << " reached " << response.peer;
  }
}

TEST_P(LifecycleTest, ServerRespectsItsConcurrencyLimitAndClientsQueue) {
  ServerOptions options;
  options.max_concurrent_calls_per_connection = 2;
  TestServer server(GetParam(), options);
  auto client = server.client();
  std::vector<std::future<TestResponse>> calls;
  for (int i = 0; i < 20; ++i) {
    TestRequest request;
    request.text = std::to_string(i);
    request.delay_ms = 5;
    calls.push_back(client.async_Echo(request, boost::asio::use_future));
  }
  for (int i = 0; i < 20; ++i) EXPECT_EQ(calls[i].get().text, std::to_string(i));
}

TEST_P(LifecycleTest, ConnectionsBeyondTheLimitAreRefused) {
  ServerOptions options;
  options.max_connections = 1;
  TestServer server(GetParam(), options);
  auto first = server.client();
  EXPECT_EQ(first.Echo(TestRequest{}).text, "");
  auto second = server.client();  // a new Channel: a second connection
  try {
    second.Echo(TestRequest{});
    FAIL() << "expected UNAVAILABLE";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE);
  }
  EXPECT_EQ(first.Echo(TestRequest{}).text, "");
}

INSTANTIATE_TEST_SUITE_P(BothStyles, LifecycleTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

TEST(Channel, UnreachableServerIsUnavailableAndBacksOff) {
  Tester::Client client(Channel("127.0.0.1:1"));
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      client.Echo(TestRequest{});
      FAIL() << "expected UNAVAILABLE";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE);
      EXPECT_NE(e.message().find("127.0.0.1:1"), std::string::npos) << e.message();
    }
  }
}

TEST(Channel, CallThatEndsWhileConnectingDoesNotKeepTheChannelAlive) {
  // A listener that accepts but never answers the handshake: the channel
  // stays "connecting" and the call waits in its queue until it is
  // cancelled. Dropping the channel must then close the connection at once
  // (it used to leak: the ended call and the channel held each other).
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  boost::asio::ip::tcp::socket peer(io);
  {
    ChannelOptions options;
    options.connect_timeout = std::chrono::milliseconds(60'000);  // far beyond the wait below
    Tester::Client client(Channel("127.0.0.1:" + std::to_string(port), options));
    std::stop_source stop;
    auto call = client.async_Echo(TestRequest{}, CallOptions().set_cancellation(stop.get_token()),
                                  boost::asio::use_future);
    // The channel resolves its target, then connects for the waiting call;
    // once it has, the call is cancelled while it waits for the handshake.
    peer = acceptor.accept();
    stop.request_stop();
    EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::CANCELLED);
  }
  // The peer reads the HELLO, then must see the stream end (10 s is a
  // liveness bound, far beyond what closing takes).
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < give_up) {
    pollfd readable{peer.native_handle(), POLLIN, 0};
    if (::poll(&readable, 1, 100) <= 0) continue;
    char buffer[256];
    boost::system::error_code error;
    peer.read_some(boost::asio::buffer(buffer), error);
    closed = error == boost::asio::error::eof || error == boost::asio::error::connection_reset;
  }
  EXPECT_TRUE(closed) << "the dropped channel kept its connection open";
}

TEST(Channel, AMalformedTargetFailsEachCallWithWhatIsWrong) {
  const std::pair<const char*, const char*> cases[] = {
      {"localhost", "invalid address \"localhost\": missing ':port'"},
      {"host:99999", "port must be a number from 0 to 65535"},
      {"::1:80", "IPv6 addresses need brackets"},
      {"unix:", "empty socket path"},
      // The other schemes (docs/scaling.md).
      {"ipv4:127.0.0.1", "missing ':port'"},
      {"ipv4:[::1]:80", "is not an IPv4 address with a port"},
      {"ipv6:127.0.0.1:80", "is not an IPv6 address with a port"},
      {"ipv4:", "no addresses"},
      {"dns:///nohost", "missing ':port'"},
      {"dns:///unix:/x", "expected dns:///name:port"},
      {"file://host/x", "expected file:///path or file:/path"},
      {"dns://not-an-ip/name:80", "invalid DNS server"},
      {"file:///nonexistent/idlrpc-test", "cannot read /nonexistent/idlrpc-test"},
  };
  for (const auto& [target, why] : cases) {
    Tester::Client client(Channel{target});  // no throw: the mistake shows where calls are handled
    try {
      client.Echo(TestRequest{});
      ADD_FAILURE() << target << ": the call succeeded";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAVAILABLE) << target;
      EXPECT_NE(e.message().find(why), std::string::npos) << target << ": " << e.message();
    }
  }
  EXPECT_NO_THROW(Channel("[::1]:80"));
  EXPECT_NO_THROW(Channel("localhost:80"));
}

}  // namespace
}  // namespace idlrpc::test
