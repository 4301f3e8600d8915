// Interceptors on the server and on the channel, for the four call kinds
// and both handler styles: their order, what they see and change,
// rejecting a call (at once or after waiting) before its handler runs,
// observing its end; and the built-in authentication on top of them.
#include <ifaddrs.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>
#include <idlrpc/auth.hpp>
#include <idlrpc/interceptor.hpp>
#include <idlrpc/server_context.hpp>

#include "log_capture.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

/// Lines in the order things happened, from any thread.
class Journal {
 public:
  void add(std::string line) {
    std::lock_guard lock(mutex_);
    lines_.push_back(std::move(line));
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

/// Records its start and end; optionally adds metadata.
class Recorder final : public ServerInterceptor {
 public:
  Recorder(std::string name, Journal& journal) : name_(std::move(name)), journal_(journal) {}
  Admission on_start(ServerContext& context) override {
    journal_.add("start " + name_ + " " + context.method());
    context.mutable_client_metadata().add("x-echo-" + name_, "from " + name_);
    return {};
  }
  void on_end(const ServerContext&, const CallOutcome& outcome) override {
    journal_.add("end " + name_ + " " + std::string(to_string(outcome.code)) + " sent " +
                 std::to_string(outcome.messages.sent) + " received " + std::to_string(outcome.messages.received));
    std::lock_guard lock(mutex_);
    last_ = outcome;
    last_.message = {};  // it does not outlive on_end
  }
  CallOutcome last() {
    std::lock_guard lock(mutex_);
    return last_;
  }

 private:
  std::mutex mutex_;
  CallOutcome last_;
  std::string name_;
  Journal& journal_;
};

/// Rejects every call, at once or after `delay`.
class Rejecter final : public ServerInterceptor {
 public:
  explicit Rejecter(std::chrono::milliseconds delay = 0ms) : delay_(delay) {}
  Admission on_start(ServerContext& context) override {
    context.add_trailing_metadata("x-why", "policy 7");
    if (delay_.count() == 0) return Admission::reject(StatusCode::PERMISSION_DENIED, "not you");
    return reject_later(delay_);
  }

 private:
  static Task<void> reject_later(std::chrono::milliseconds delay) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
    throw Error(StatusCode::UNAUTHENTICATED, "token expired");
  }
  std::chrono::milliseconds delay_;
};

/// Lets every call through after `delay` (an asynchronous check).
class SlowAdmitter final : public ServerInterceptor {
 public:
  explicit SlowAdmitter(std::chrono::milliseconds delay) : delay_(delay) {}
  Admission on_start(ServerContext&) override { return wait(delay_); }

 private:
  static Task<void> wait(std::chrono::milliseconds delay) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  std::chrono::milliseconds delay_;
};

class Thrower final : public ServerInterceptor {
 public:
  Admission on_start(ServerContext&) override { throw std::runtime_error("bug in the interceptor"); }
};

TestRequest text(const std::string& value) {
  TestRequest request;
  request.text = value;
  return request;
}

std::string echo_text(Tester::Client client) { return client.Echo(text("x")).text; }

StatusCode status_of_all_four(Tester::Client client) {
  return code_of([&] {
    client.Echo(text("x"), CallOptions().set_timeout(10s));
    TestRequest count = text("");
    count.count = 3;
    for (auto& message : client.Count(count)) (void)message;
    auto writer = client.Sum();
    for (int i = 0; i < 4; ++i) writer.write(text("x"));
    writer.finish();
    auto chat = client.Chat();
    chat.write(text("a"));
    chat.read();
    chat.writes_done();
    chat.read();
    chat.finish();
  });
}

class ServerInterceptorTest : public ::testing::TestWithParam<Style> {
 protected:
  std::unique_ptr<TestServer> start(std::vector<std::shared_ptr<ServerInterceptor>> chain) {
    ServerOptions options;
    options.interceptors = std::move(chain);
    return std::make_unique<TestServer>(GetParam(), std::move(options));
  }
  Journal journal_;
};

TEST_P(ServerInterceptorTest, RunInOrderAroundEveryKindAndSeeTheEnd) {
  auto a = std::make_shared<Recorder>("a", journal_);
  auto b = std::make_shared<Recorder>("b", journal_);
  auto server = start({a, b});
  EXPECT_EQ(status_of_all_four(server->client()), StatusCode::OK);
  EXPECT_TRUE(eventually([&] { return journal_.lines().size() == 16; }));
  const std::vector<std::string> expected = {
      "start a /idlrpc.test.Tester/Echo",  "start b /idlrpc.test.Tester/Echo",  "end b OK sent 1 received 1",
      "end a OK sent 1 received 1",        "start a /idlrpc.test.Tester/Count", "start b /idlrpc.test.Tester/Count",
      "end b OK sent 3 received 1",        "end a OK sent 3 received 1",        "start a /idlrpc.test.Tester/Sum",
      "start b /idlrpc.test.Tester/Sum",   "end b OK sent 1 received 4",        "end a OK sent 1 received 4",
      "start a /idlrpc.test.Tester/Chat",  "start b /idlrpc.test.Tester/Chat",  "end b OK sent 1 received 1",
      "end a OK sent 1 received 1"};
  EXPECT_EQ(journal_.lines(), expected);
  EXPECT_EQ(server->observed().started, 4);
  EXPECT_GT(a->last().duration.count(), 0);
  EXPECT_GT(a->last().messages.bytes_received, 0u);
}

TEST_P(ServerInterceptorTest, MetadataAddedByAnInterceptorReachesTheHandler) {
  auto server = start({std::make_shared<Recorder>("a", journal_)});
  ResponseMetadata metadata;
  CallOptions options;
  options.response_metadata = &metadata;
  server->client().Echo(text("x"), options);
  EXPECT_EQ(metadata.initial.get("x-initial-a"), "from a");  // the handler echoes x-echo-*
}

TEST_P(ServerInterceptorTest, ARejectionEndsTheCallBeforeTheHandlerForEveryKind) {
  auto before = std::make_shared<Recorder>("before", journal_);
  auto after = std::make_shared<Recorder>("after", journal_);
  auto server = start({before, std::make_shared<Rejecter>(), after});
  Tester::Client client = server->client();
  ResponseMetadata metadata;
  CallOptions options;
  options.response_metadata = &metadata;
  try {
    client.Echo(text("x"), options);
    FAIL() << "the call went through";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(e.message(), "not you");
  }
  EXPECT_EQ(metadata.trailing.get("x-why"), "policy 7");
  TestRequest count = text("");
  count.count = 3;
  EXPECT_EQ(code_of([&] { client.Count(count).read(); }), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code_of([&] {
              auto writer = client.Sum();
              writer.write(text("x"));
              writer.finish();
            }),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(code_of([&] {
              auto chat = client.Chat();
              chat.write(text("x"));
              chat.read();
              chat.finish();
            }),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(server->observed().started, 0);
  // Only the interceptor before the rejecting one started, and it saw the end.
  EXPECT_TRUE(eventually([&] { return journal_.lines().size() == 8; }));
  for (const auto& line : journal_.lines()) EXPECT_EQ(line.find("after"), std::string::npos) << line;
  EXPECT_EQ(before->last().code, StatusCode::PERMISSION_DENIED);
}

TEST_P(ServerInterceptorTest, AnAsynchronousCheckMayAdmitOrReject) {
  auto admitting = start({std::make_shared<SlowAdmitter>(20ms)});
  EXPECT_EQ(status_of_all_four(admitting->client()), StatusCode::OK);
  EXPECT_EQ(admitting->observed().started, 4);

  auto rejecting = start({std::make_shared<Rejecter>(20ms)});
  try {
    rejecting->client().Echo(text("x"));
    FAIL() << "the call went through";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(e.message(), "token expired");
  }
  EXPECT_EQ(status_of_all_four(rejecting->client()), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(rejecting->observed().started, 0);
}

TEST_P(ServerInterceptorTest, TheDeadlineEndsACallWhoseCheckIsStillWaiting) {
  auto recorder = std::make_shared<Recorder>("r", journal_);
  auto server = start({recorder, std::make_shared<SlowAdmitter>(10s)});
  const auto began = Clock::now();
  EXPECT_EQ(code_of([&] { server->client().Echo(text("x"), CallOptions().set_timeout(100ms)); }),
            StatusCode::DEADLINE_EXCEEDED);
  EXPECT_LT(Clock::now() - began, 5s);
  // Ended by the server's deadline, or by the client's CANCEL at its own.
  EXPECT_TRUE(eventually([&] {
    return recorder->last().code == StatusCode::DEADLINE_EXCEEDED || recorder->last().code == StatusCode::CANCELLED;
  }));
  EXPECT_EQ(server->observed().started, 0);
}

TEST_P(ServerInterceptorTest, AnInterceptorThatThrowsFailsOnlyThatCall) {
  LogCapture log;
  auto recorder = std::make_shared<Recorder>("r", journal_);
  auto server = start({recorder, std::make_shared<Thrower>()});
  for (int i = 0; i < 2; ++i) {
    try {
      server->client().Echo(text("x"));
      FAIL() << "the call went through";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNKNOWN);
      EXPECT_EQ(e.message(), "unexpected error in an interceptor");  // its text stays in the log
    }
  }
  EXPECT_EQ(log.count_containing("interceptor of /idlrpc.test.Tester/Echo for 127.0.0.1:"), 2u);
  EXPECT_EQ(log.count_containing("threw: bug in the interceptor"), 2u);
  EXPECT_EQ(recorder->last().code, StatusCode::UNKNOWN);
  EXPECT_EQ(server->observed().started, 0);
}

// Bearer tokens: the server checks, the client sends them as credentials.
std::optional<std::string> check_token(std::string_view token) {
  if (token == "secret-1") return "alice";
  return std::nullopt;
}

Task<std::optional<std::string>> check_token_later(std::string token) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 10ms);
  co_await timer.async_wait(boost::asio::use_awaitable);
  co_return check_token(token);
}

std::string principal_seen(Tester::Client client, std::shared_ptr<CallCredentials> credentials) {
  ResponseMetadata metadata;
  CallOptions options;
  options.add_metadata("x-identity", "1");
  options.credentials = std::move(credentials);
  options.response_metadata = &metadata;
  client.Echo(text("x"), options);
  return std::string(metadata.trailing.get("x-principal").value_or("?"));
}

TEST_P(ServerInterceptorTest, BearerTokensAreAcceptedAndRefused) {
  for (auto& auth : {bearer_token_auth(check_token), bearer_token_auth_async(check_token_later)}) {
    auto server = start({auth});
    Tester::Client client = server->client();
    EXPECT_EQ(principal_seen(client, bearer_token("secret-1")), "alice");
    int refreshed = 0;
    EXPECT_EQ(principal_seen(client, bearer_token([&refreshed] {
                               ++refreshed;
                               return std::string("secret-1");
                             })),
              "alice");
    EXPECT_EQ(refreshed, 1);
    EXPECT_EQ(principal_seen(client, bearer_token_async([]() -> Task<std::string> { co_return "secret-1"; })),
              "alice");
    try {
      principal_seen(client, bearer_token("wrong"));
      FAIL() << "a wrong token was accepted";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(e.message(), "invalid bearer token");
    }
    try {
      principal_seen(client, nullptr);
      FAIL() << "a call without a token was accepted";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(e.message(), "missing credentials: send \"authorization: Bearer <token>\" metadata");
    }
    EXPECT_EQ(code_of([&] { client.Echo(text("x"), CallOptions().add_metadata("authorization", "Basic abc")); }),
              StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(server->observed().started, 3);
  }
}

TEST_P(ServerInterceptorTest, MutualTlsIdentitiesAreAuthorizedPerMethod) {
  TestCa ca("authz CA");
  const auto reporter = ca.issue({.common_name = "reporter", .uris = {"spiffe://example.org/reporter"}});
  const auto intruder = ca.issue({.common_name = "intruder", .uris = {"spiffe://example.org/intruder"}});
  ServerOptions options;
  options.tls.emplace();
  options.tls->identities = {ca.localhost_server().identity()};
  options.tls->client_certificates = ClientCertificates::kRequest;
  options.tls->client_ca_pem = ca.cert_pem();
  options.interceptors = {allow_peers({{.methods = "/idlrpc.test.Tester/Echo", .peers = {"spiffe://example.org/reporter"}},
                                       {.methods = "/idlrpc.test.Tester/Count", .peers = {"*"}}})};
  TestServer server(GetParam(), std::move(options));
  auto client_with = [&](const IssuedCertificate* certificate) {
    ChannelOptions channel;
    channel.tls.emplace();
    channel.tls->ca_pem = ca.cert_pem();
    if (certificate != nullptr) channel.tls->identity = certificate->identity();
    return Tester::Client(server.channel(channel));
  };
  EXPECT_EQ(principal_seen(client_with(&reporter), nullptr), "spiffe://example.org/reporter");
  try {
    client_with(&intruder).Echo(text("x"));
    FAIL() << "an unlisted certificate was let in";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(e.message(),
              "the client certificate (spiffe://example.org/intruder) may not call /idlrpc.test.Tester/Echo");
  }
  EXPECT_EQ(code_of([&] { client_with(nullptr).Echo(text("x")); }), StatusCode::UNAUTHENTICATED);
  TestRequest count = text("");
  count.count = 1;
  EXPECT_EQ(code_of([&] { client_with(&intruder).Count(count).read(); }), StatusCode::OK);   // "*"
  EXPECT_EQ(code_of([&] { client_with(&intruder).Sum().finish(); }), StatusCode::PERMISSION_DENIED);  // no rule
}

// Client-side interceptors.

class ClientRecorder final : public ClientInterceptor {
 public:
  ClientRecorder(std::string name, Journal& journal) : name_(std::move(name)), journal_(journal) {}
  Admission on_start(ClientCallInfo& call) override {
    journal_.add("start " + name_ + " " + std::string(call.method.path));
    call.metadata.add("x-echo-" + name_, "from " + name_);
    return {};
  }
  void on_end(const ClientCallInfo&, const CallOutcome& outcome) override {
    journal_.add("end " + name_ + " " + std::string(to_string(outcome.code)) + " sent " +
                 std::to_string(outcome.messages.sent) + " received " + std::to_string(outcome.messages.received));
  }

 private:
  std::string name_;
  Journal& journal_;
};

class ClientRejecter final : public ClientInterceptor {
 public:
  explicit ClientRejecter(bool later) : later_(later) {}
  Admission on_start(ClientCallInfo&) override {
    if (!later_) return Admission::reject(StatusCode::FAILED_PRECONDITION, "no calls today");
    return refuse();
  }

 private:
  static Task<void> refuse() {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, 10ms);
    co_await timer.async_wait(boost::asio::use_awaitable);
    throw Error(StatusCode::FAILED_PRECONDITION, "no calls tonight");
  }
  bool later_;
};

TEST_P(ServerInterceptorTest, ChannelInterceptorsRunInOrderAndTheirMetadataReachesTheServer) {
  TestServer server(GetParam());
  ChannelOptions options;
  options.interceptors = {std::make_shared<ClientRecorder>("a", journal_),
                          std::make_shared<ClientRecorder>("b", journal_)};
  Tester::Client client(server.channel(options));
  EXPECT_EQ(status_of_all_four(client), StatusCode::OK);
  const std::vector<std::string> expected = {
      "start a /idlrpc.test.Tester/Echo",  "start b /idlrpc.test.Tester/Echo",  "end b OK sent 1 received 1",
      "end a OK sent 1 received 1",        "start a /idlrpc.test.Tester/Count", "start b /idlrpc.test.Tester/Count",
      "end b OK sent 1 received 3",        "end a OK sent 1 received 3",        "start a /idlrpc.test.Tester/Sum",
      "start b /idlrpc.test.Tester/Sum",   "end b OK sent 4 received 1",        "end a OK sent 4 received 1",
      "start a /idlrpc.test.Tester/Chat",  "start b /idlrpc.test.Tester/Chat",  "end b OK sent 1 received 1",
      "end a OK sent 1 received 1"};
  EXPECT_EQ(journal_.lines(), expected);
  ResponseMetadata metadata;
  CallOptions call;
  call.response_metadata = &metadata;
  client.Echo(text("x"), call);
  EXPECT_EQ(metadata.initial.get("x-initial-a"), "from a");
  EXPECT_EQ(metadata.initial.get("x-initial-b"), "from b");
}

TEST_P(ServerInterceptorTest, AChannelInterceptorRejectsLocallyAtOnceOrLater) {
  TestServer server(GetParam());
  for (bool later : {false, true}) {
    ChannelOptions options;
    options.interceptors = {std::make_shared<ClientRejecter>(later)};
    Tester::Client client(server.channel(options));
    try {
      client.Echo(text("x"));
      FAIL() << "the call went through";
    } catch (const RpcError& e) {
      EXPECT_EQ(e.code(), StatusCode::FAILED_PRECONDITION);
      EXPECT_EQ(e.message(), later ? "no calls tonight" : "no calls today");
    }
    EXPECT_EQ(status_of_all_four(client), StatusCode::FAILED_PRECONDITION);
  }
  EXPECT_EQ(server.observed().started, 0);
}

// A local address of this machine that is not loopback, or empty.
std::string non_loopback_address() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return {};
  std::string found;
  for (ifaddrs* it = list; it != nullptr && found.empty(); it = it->ifa_next) {
    if (it->ifa_addr == nullptr || it->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(it->ifa_addr)->sin_addr, text, sizeof text);
    if (!std::string_view(text).starts_with("127.")) found = text;
  }
  freeifaddrs(list);
  return found;
}

TEST_P(ServerInterceptorTest, CredentialsAreNeverSentInPlaintextOffThisMachine) {
  const std::string address = non_loopback_address();
  if (address.empty()) GTEST_SKIP() << "this machine has no non-loopback IPv4 address";
  TestServer server(GetParam(), {}, "0.0.0.0:0");
  const std::string port = server.address().substr(server.address().rfind(':') + 1);
  Tester::Client remote(Channel(address + ":" + port));
  EXPECT_EQ(echo_text(remote), "x");  // plaintext itself is allowed
  CallOptions options;
  options.credentials = bearer_token("secret-1");
  try {
    remote.Echo(text("x"), options);
    FAIL() << "credentials went out in plaintext";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(e.message(), "call credentials are not sent in plaintext off this machine: use TLS (tls://host:port)");
  }
  EXPECT_EQ(server.observed().started, 1);
  // Loopback is this machine: allowed.
  Tester::Client local(Channel("127.0.0.1:" + port));
  EXPECT_EQ(local.Echo(text("y"), options).text, "y");
}

INSTANTIATE_TEST_SUITE_P(Styles, ServerInterceptorTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
