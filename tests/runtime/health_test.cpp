// The health service (Server::enable_health): Check and Watch through the
// generated client, statuses set by the application, and shutdown turning
// everything NOT_SERVING before the connection goes away (drain_delay).
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>
#include <idlrpc/health.hpp>
#include <idlrpc/health/v1/health.idl.h>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;
using health::v1::HealthCheckRequest;
using HealthClient = health::v1::Health::Client;

/// A server with the Tester service and health enabled.
struct HealthyServer {
  explicit HealthyServer(ServerOptions options = {}) {
    options.listen = {"127.0.0.1:0"};
    server = std::make_unique<Server>(std::move(options));
    server->add_service(tester);
    health = &server->enable_health();
  }
  void start() {
    server->start();
    address = "127.0.0.1:" + std::to_string(server->port());
  }
  Observed observed;
  BlockingTester tester{observed};
  std::unique_ptr<Server> server;
  Health* health = nullptr;
  std::string address;
};

ServingStatus check(const std::string& address, const std::string& service) {
  return HealthClient(Channel(address)).Check({.service = service}, CallOptions{}.set_timeout(5s)).status;
}

/// The next status a Watch sends, or none if the stream ended.
template <class Reader>
std::optional<ServingStatus> next_status(Reader& watch) {
  auto response = watch.read();
  if (!response) return std::nullopt;
  return response->status;
}

TEST(HealthTest, StartSetsTheServerAndEveryServiceServing) {
  HealthyServer s;
  EXPECT_EQ(s.health->status(""), std::nullopt) << "nothing is serving before start()";
  s.start();
  EXPECT_EQ(check(s.address, ""), ServingStatus::SERVING);
  EXPECT_EQ(check(s.address, "idlrpc.test.Tester"), ServingStatus::SERVING);
  EXPECT_EQ(check(s.address, "idlrpc.health.v1.Health"), ServingStatus::SERVING);
}

TEST(HealthTest, WhatTheApplicationSetBeforeStartStays) {
  HealthyServer s;
  s.health->set_status("idlrpc.test.Tester", ServingStatus::NOT_SERVING);  // still warming up
  s.start();
  EXPECT_EQ(check(s.address, "idlrpc.test.Tester"), ServingStatus::NOT_SERVING);
  EXPECT_EQ(check(s.address, ""), ServingStatus::SERVING);
  s.health->set_status("idlrpc.test.Tester", ServingStatus::SERVING);
  EXPECT_EQ(check(s.address, "idlrpc.test.Tester"), ServingStatus::SERVING);
}

TEST(HealthTest, CheckOfAnUnknownServiceIsNotFound) {
  HealthyServer s;
  s.start();
  try {
    check(s.address, "no.Such");
    FAIL() << "expected NOT_FOUND";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::NOT_FOUND);
    EXPECT_EQ(e.message(), "unknown service \"no.Such\"");
  }
}

TEST(HealthTest, EnableHealthTwiceGivesTheSameHandleAndAfterStartThrows) {
  HealthyServer s;
  EXPECT_EQ(&s.server->enable_health(), s.health);
  s.start();
  EXPECT_EQ(&s.server->enable_health(), s.health) << "already enabled: the same handle, no error";
  Server other({.listen = {"127.0.0.1:0"}});
  other.start();
  EXPECT_THROW(other.enable_health(), std::logic_error);
}

TEST(HealthTest, WatchSendsTheStatusAtOnceThenEachChange) {
  HealthyServer s;
  s.start();
  HealthClient client{Channel(s.address)};
  auto watch = client.Watch({.service = "idlrpc.test.Tester"}, CallOptions{}.set_timeout(20s));
  EXPECT_EQ(next_status(watch), ServingStatus::SERVING);
  s.health->set_status("idlrpc.test.Tester", ServingStatus::NOT_SERVING);
  EXPECT_EQ(next_status(watch), ServingStatus::NOT_SERVING);
  s.health->set_status("idlrpc.test.Tester", ServingStatus::NOT_SERVING);  // no change: nothing sent
  s.health->set_status("idlrpc.test.Tester", ServingStatus::SERVING);
  EXPECT_EQ(next_status(watch), ServingStatus::SERVING);
  watch.cancel();
}

TEST(HealthTest, WatchOfAnUnknownServiceWaitsForItToAppear) {
  HealthyServer s;
  s.start();
  HealthClient client{Channel(s.address)};
  auto watch = client.Watch({.service = "later.Service"}, CallOptions{}.set_timeout(20s));
  EXPECT_EQ(next_status(watch), ServingStatus::SERVICE_UNKNOWN) << "the call goes on";
  s.health->set_status("later.Service", ServingStatus::SERVING);
  EXPECT_EQ(next_status(watch), ServingStatus::SERVING);
  watch.cancel();
}

TEST(HealthTest, ShutdownSendsNotServingBeforeTheConnectionCloses) {
  // With a drain delay, the server keeps serving calls (and Check answers
  // NOT_SERVING) between the flip and the GOAWAY.
  HealthyServer s({.drain_delay = 1500ms});
  s.start();
  Channel channel(s.address);
  HealthClient client{channel};
  auto watch = client.Watch({.service = ""}, CallOptions{}.set_timeout(20s));
  ASSERT_EQ(watch.read()->status, ServingStatus::SERVING);

  auto shutdown = std::async(std::launch::async, [&] { s.server->shutdown(5s); });
  auto flipped = watch.read();
  ASSERT_TRUE(flipped) << "NOT_SERVING arrives on the open connection";
  EXPECT_EQ(flipped->status, ServingStatus::NOT_SERVING);
  EXPECT_FALSE(watch.read()) << "then the Watch ends, so it does not hold the shutdown";
  EXPECT_NO_THROW(watch.finish());
  // During the drain delay: still answering, NOT_SERVING, on the same channel.
  EXPECT_EQ(client.Check({.service = ""}, CallOptions{}.set_timeout(5s)).status, ServingStatus::NOT_SERVING);
  Tester::Client tester{channel};
  EXPECT_EQ(tester.Echo({.text = "still here"}, CallOptions{}.set_timeout(5s)).text, "still here");
  EXPECT_EQ(shutdown.wait_for(10s), std::future_status::ready);
  // Set after shutdown: ignored.
  s.health->set_status("", ServingStatus::SERVING);
  EXPECT_EQ(s.health->status(""), ServingStatus::NOT_SERVING);
}

}  // namespace
}  // namespace idlrpc::test
