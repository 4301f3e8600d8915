// Many servers behind one Channel (issue 14, docs/scaling.md): targets and
// their resolvers, pick_first and round_robin over real servers on
// loopback addresses (127.0.0.x are all loopback), replicas stopped under
// load and restarted, a file: target that changes, retries and their
// budget. The DNS server and L4 proxy tests are in balancing_external_test.cpp;
// malformed targets in lifecycle_test.cpp.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <idlrpc/resolver.hpp>

#include "replicas.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

TEST(Balancing, RoundRobinSpreadsCallsEvenly) {
  Replicas replicas;
  Tester::Client client(Channel(replicas.ipv4_target(), fast(LbPolicy::round_robin)));
  // Round robin connects to every replica; once all answer, the rotation is even.
  ASSERT_TRUE(eventually([&] {
    client.Echo(TestRequest{});
    return replicas.calls(0) > 0 && replicas.calls(1) > 0 && replicas.calls(2) > 0;
  }));
  const std::vector<int> got = replicas.spread(client, 300);
  for (std::size_t i = 0; i < 3; ++i) {
    std::cout << "replica " << i + 1 << ": " << got[i] << " of 300 calls\n";
    EXPECT_GE(got[i], 90);
    EXPECT_LE(got[i], 110);
  }
}

TEST(Balancing, PickFirstSticksToOneAddressThenMovesOn) {
  Replicas replicas(2);
  Tester::Client client(Channel(replicas.ipv4_target(), fast(LbPolicy::pick_first)));
  for (int i = 0; i < 20; ++i) client.Echo(TestRequest{});
  EXPECT_EQ(replicas.calls(0), 20);
  EXPECT_EQ(replicas.calls(1), 0);
  replicas.servers[0]->server().shutdown(1s);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
  EXPECT_EQ(replicas.calls(1), 20);
}

// Under a steady load from four threads, one replica shuts down
// gracefully: the calls it accepted finish, the ones it had not started
// (above its GOAWAY) and the ones not yet sent go to the others. No call
// fails. Then it comes back on the same address and gets calls again.
TEST(Balancing, StoppingAReplicaUnderLoadFailsNoCallAndARestartedOneRejoins) {
  Replicas replicas;
  const std::string stopped_address = replicas.servers[1]->address();
  Tester::Client client(Channel(replicas.ipv4_target(), fast(LbPolicy::round_robin)));
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0};
  std::atomic<int> failed{0};
  std::vector<std::jthread> load;
  for (int t = 0; t < 4; ++t) {
    load.emplace_back([&] {
      TestRequest request;
      request.delay_ms = 2;
      while (!stop) {
        try {
          client.Echo(request);
          ++ok;
        } catch (const RpcError& e) {
          ++failed;
          ADD_FAILURE() << e.what();
        }
      }
    });
  }
  ASSERT_TRUE(eventually([&] { return replicas.calls(0) > 50 && replicas.calls(1) > 50 && replicas.calls(2) > 50; }));

  replicas.servers[1]->server().shutdown(2s);
  replicas.servers[1].reset();
  const int others_before = replicas.calls(0) + replicas.calls(2);
  ASSERT_TRUE(eventually([&] { return replicas.calls(0) + replicas.calls(2) > others_before + 300; }));

  replicas.servers[1] = std::make_unique<TestServer>(Style::kBlocking, ServerOptions{}, stopped_address);
  EXPECT_TRUE(eventually([&] { return replicas.calls(1) > 50; }, 5s)) << "the restarted replica did not rejoin";
  stop = true;
  load.clear();
  std::cout << ok << " calls OK, " << failed << " failed\n";
  EXPECT_EQ(failed, 0);
}

class TempFile {
 public:
  TempFile() : path_("/tmp/idlrpc-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++) + ".addresses") {}
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }
  // Written beside and renamed, as discovery agents do: never half a file.
  void write(const std::string& text) const {
    const std::string temp = path_ + ".new";
    std::ofstream(temp) << text;
    std::filesystem::rename(temp, path_);
  }

 private:
  static inline int next_ = 0;
  std::string path_;
};

TEST(Balancing, AFileTargetPicksUpAnAddedReplicaWithinItsReloadIntervalAndDrainsARemovedOne) {
  Replicas replicas;
  TempFile file;
  file.write("# replicas\n" + replicas.servers[0]->address() + "\n" + replicas.servers[1]->address() + "\n");
  ChannelOptions options = fast(LbPolicy::round_robin);
  options.file_reload_interval = 200ms;
  Tester::Client client(Channel("file://" + file.path(), options));
  for (int i = 0; i < 20; ++i) client.Echo(TestRequest{});
  EXPECT_GT(replicas.calls(0), 0);
  EXPECT_GT(replicas.calls(1), 0);
  EXPECT_EQ(replicas.calls(2), 0);

  file.write(replicas.servers[0]->address() + "\n" + replicas.servers[1]->address() + "\n  " +
             replicas.servers[2]->address() + "  \n");
  const auto added = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] {
    client.Echo(TestRequest{});
    return replicas.calls(2) > 0;
  }));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - added);
  std::cout << "the added replica got its first call after " << took.count() << " ms\n";
  EXPECT_LT(took, 200ms + 1000ms);  // the reload interval, plus a connect and slack for a loaded machine

  // A call in flight on the removed replica finishes there (drained, not cut).
  TestRequest slow;
  slow.delay_ms = 600;
  std::vector<std::future<TestResponse>> on_first;
  for (int i = 0; i < 3; ++i) on_first.push_back(client.async_Echo(slow, boost::asio::use_future));
  ASSERT_TRUE(eventually([&] { return replicas.servers[0]->observed().started > 0; }));
  file.write(replicas.servers[1]->address() + "\n" + replicas.servers[2]->address() + "\n");
  // Once the file is read again, 30 calls in a row go elsewhere.
  EXPECT_TRUE(eventually([&] {
    const int before = replicas.calls(0);
    for (int i = 0; i < 30; ++i) client.Echo(TestRequest{});
    return replicas.calls(0) == before;
  })) << "the removed replica still gets calls";
  for (auto& call : on_first) EXPECT_EQ(code_of([&] { call.get(); }), StatusCode::OK);
}

TEST(Balancing, DnsTargetThroughTheSystemResolver) {
  TestServer server(Style::kBlocking);
  const std::string port = server.address().substr(server.address().rfind(':') + 1);
  // "localhost" resolves to 127.0.0.1 (and perhaps ::1, where nothing listens).
  Tester::Client client(Channel("dns:///localhost:" + port, fast(LbPolicy::round_robin)));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::OK);
}

TEST(Balancing, PolicyNames) {
  EXPECT_THROW(lb_policy_from_name("random"), std::invalid_argument);
  EXPECT_EQ(lb_policy_from_name("round_robin"), LbPolicy::round_robin);
  EXPECT_EQ(to_string(LbPolicy::pick_first), "pick_first");
}

// An application's own scheme: a resolver that reports what the test
// tells it, and counts the hints it gets.
struct ManualResolver final : Resolver {
  explicit ManualResolver(ResolverSink sink) : sink(std::move(sink)) {}
  void resolve_now() override { ++hints; }
  ResolverSink sink;
  static inline std::atomic<int> hints{0};
};

TEST(Balancing, ACustomResolverFeedsTheChannel) {
  Replicas replicas(2);
  static std::vector<std::string> addresses;
  addresses = {replicas.servers[0]->address()};
  static std::optional<ResolverSink> sink;
  register_resolver("manual-test", [](const ResolverArgs& args) {
    EXPECT_EQ(args.path, "service");
    sink = args.sink;
    args.sink(Resolution{addresses, {}});
    return std::make_unique<ManualResolver>(args.sink);
  });
  EXPECT_THROW(register_resolver("dns", [](const ResolverArgs&) { return std::unique_ptr<Resolver>(); }),
               std::invalid_argument);
  Tester::Client client(Channel("manual-test:service", fast(LbPolicy::round_robin)));
  for (int i = 0; i < 10; ++i) client.Echo(TestRequest{});
  EXPECT_EQ(replicas.calls(0), 10);
  (*sink)(Resolution{{replicas.servers[1]->address()}, {}});
  EXPECT_TRUE(eventually([&] {
    client.Echo(TestRequest{});
    return replicas.calls(1) > 0;
  }));
  const int hints_before = ManualResolver::hints;
  replicas.servers[1]->server().shutdown(1s);
  EXPECT_TRUE(eventually([&] { return ManualResolver::hints > hints_before; })) << "no re-resolution on GOAWAY";
  (*sink)(Resolution{{}, "registry unreachable"});
  sink.reset();
}

// A replica that fails the first calls it gets with UNAVAILABLE.
class Flaky final : public Tester::Service {
 public:
  explicit Flaky(int failures, StatusCode code = StatusCode::UNAVAILABLE) : failures_(failures), code_(code) {}
  TestResponse Echo(ServerContext&, const TestRequest& request) override {
    ++attempts;
    if (failures_-- > 0) throw Error(code_, "not now");
    TestResponse response;
    response.text = request.text;
    return response;
  }
  TestResponse Forward(ServerContext&, const TestRequest&) override { return {}; }
  void Count(ServerContext&, const TestRequest&, ServerWriter<TestResponse>&) override {}
  TestResponse Sum(ServerContext&, ServerReader<TestRequest>&) override { return {}; }
  void Chat(ServerContext&, ServerReaderWriter<TestResponse, TestRequest>&) override {}
  std::atomic<int> attempts{0};

 private:
  std::atomic<int> failures_;
  StatusCode code_;
};

struct FlakyServer {
  explicit FlakyServer(int failures, StatusCode code = StatusCode::UNAVAILABLE)
      : service(failures, code), server(ServerOptions{.listen = {"127.0.0.1:0"}}) {
    server.add_service(service);
    server.start();
  }
  ~FlakyServer() { server.shutdown(0ms); }
  std::string address() { return "127.0.0.1:" + std::to_string(server.port()); }
  Flaky service;
  Server server;
};

RetryPolicy quick_policy(std::uint32_t attempts) {
  RetryPolicy policy;
  policy.max_attempts = attempts;
  policy.initial_backoff = 5ms;
  policy.max_backoff = 20ms;
  return policy;
}

TEST(Retries, APolicyRetriesRetryableCodesOnly) {
  {
    FlakyServer flaky(2);
    Tester::Client client(Channel(flaky.address()));
    EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::UNAVAILABLE) << "no policy, no retry";
    EXPECT_EQ(flaky.service.attempts, 1);
    TestRequest request;
    request.text = "third time lucky";
    EXPECT_EQ(client.Echo(request, CallOptions{}.set_retry_policy(quick_policy(3))).text, "third time lucky");
    EXPECT_EQ(flaky.service.attempts, 3);
  }
  {
    FlakyServer flaky(1, StatusCode::INVALID_ARGUMENT);
    ChannelOptions options;
    options.method_retry_policies["/idlrpc.test.Tester/Echo"] = quick_policy(5);
    Tester::Client client(Channel(flaky.address(), options));
    EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(flaky.service.attempts, 1) << "INVALID_ARGUMENT is not retryable";
  }
  EXPECT_THROW(Tester::Client(Channel("127.0.0.1:1")).Echo(TestRequest{}, CallOptions{}.set_retry_policy(quick_policy(9))),
               std::logic_error);
}

// gRPC's throttling arithmetic: 10 tokens, a failure takes 1, retries only
// above 5. Call 1: attempts fail at 9, 8, 7 (3 attempts, the policy's
// most); call 2: 6 (retry), 5 (no more); every later call: one attempt.
TEST(Retries, TheIdempotentPolicyCoversTheMethodsTheIdlMarks) {
  FlakyServer flaky(2);
  ChannelOptions options;
  options.idempotent_retry_policy = quick_policy(3);
  Channel channel(flaky.address(), options);
  EXPECT_EQ(code_of([&] { Tester::Client(channel).Echo(TestRequest{}); }), StatusCode::UNAVAILABLE)
      << "Echo is not marked: no retry";
  EXPECT_EQ(flaky.service.attempts, 1);
  // What idlc generates for `rpc Echo(...) returns (...) { option idempotency_level = IDEMPOTENT; }`.
  constexpr MethodInfo kIdempotentEcho{Tester::kEcho.path, CallKind::kUnary, Idempotency::kIdempotent};
  TestRequest request;
  request.text = "again";
  EXPECT_EQ(unary_call<TestResponse>(channel, kIdempotentEcho, request).text, "again");
  EXPECT_EQ(flaky.service.attempts, 3);
}

TEST(Retries, TheBudgetStopsRetriesWhenMostCallsFail) {
  FlakyServer flaky(1'000'000);
  ChannelOptions options;
  options.retry_policy = quick_policy(3);
  Tester::Client client(Channel(flaky.address(), options));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(code_of([&] { client.Echo(TestRequest{}); }), StatusCode::UNAVAILABLE);
  EXPECT_EQ(flaky.service.attempts, 3 + 2 + 18);
}

}  // namespace
}  // namespace idlrpc::test
