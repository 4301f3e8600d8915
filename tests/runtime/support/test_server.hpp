// The test service's handlers in both styles, and a server fixture.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <idlrpc/error.hpp>
#include <idlrpc/health.hpp>
#include <idlrpc/server.hpp>

#include "test_service.hpp"

namespace idlrpc::test {

enum class Style { kBlocking, kCoroutine };
std::string to_string(Style style);

/// What the handlers saw, for tests to check from outside.
struct Observed {
  std::atomic<int> started{0};
  std::atomic<int> saw_cancellation{0};
  std::atomic<long> written{0};  // stream messages the handlers wrote
};

/// The i-th message Count streams back.
TestResponse nth_response(const TestRequest& request, std::uint32_t i);

/// Echoes "x-echo*" client metadata as "x-initial*" and "x-trailing*";
/// with "x-identity", returns the peer's TLS identity as trailing metadata
/// (x-tls-version, x-subject, x-dns-san, x-uri-san).
void echo_metadata(ServerContext& context);

/// The reply both styles give once any waiting is done: fails as asked,
/// echoes "x-echo*" metadata back as initial ("x-initial*") and trailing
/// ("x-trailing*") metadata, and reports what it knows of the call.
TestResponse answer(ServerContext& context, const TestRequest& request);

class BlockingTester final : public Tester::Service {
 public:
  explicit BlockingTester(Observed& observed) : observed_(observed) {}
  TestResponse Echo(ServerContext& context, const TestRequest& request) override;
  TestResponse Forward(ServerContext& context, const TestRequest& request) override;
  void Count(ServerContext& context, const TestRequest& request, ServerWriter<TestResponse>& writer) override;
  TestResponse Sum(ServerContext& context, ServerReader<TestRequest>& reader) override;
  void Chat(ServerContext& context, ServerReaderWriter<TestResponse, TestRequest>& stream) override;

 private:
  void wait_until_cancelled(ServerContext& context);
  Observed& observed_;
};

class CoroutineTester final : public Tester::AsyncService {
 public:
  explicit CoroutineTester(Observed& observed) : observed_(observed) {}
  Task<TestResponse> Echo(ServerContext& context, const TestRequest& request) override;
  Task<TestResponse> Forward(ServerContext& context, const TestRequest& request) override;
  Task<void> Count(ServerContext& context, const TestRequest& request, AsyncServerWriter<TestResponse>& writer) override;
  Task<TestResponse> Sum(ServerContext& context, AsyncServerReader<TestRequest>& reader) override;
  Task<void> Chat(ServerContext& context, AsyncServerReaderWriter<TestResponse, TestRequest>& stream) override;

 private:
  Task<void> wait_until_cancelled(ServerContext& context);
  Task<void> sleep(std::uint32_t ms);
  Observed& observed_;
};

/// A started server with the Tester service in one style.
/// Whether a TestServer runs the health service (Server::enable_health).
enum class WithHealth { kNo, kYes };

class TestServer {
 public:
  explicit TestServer(Style style, ServerOptions options = {}, std::string listen = "127.0.0.1:0",
                      WithHealth health = WithHealth::kNo);
  ~TestServer();

  /// The address a Channel connects to.
  const std::string& address() const { return address_; }
  Channel channel(ChannelOptions options = {}) const { return Channel(address_, options); }
  Tester::Client client() const { return Tester::Client(channel()); }
  Server& server() { return *server_; }
  /// WithHealth::kYes only.
  Health& health() { return *health_; }
  Observed& observed() { return observed_; }

 private:
  Observed observed_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<Server> server_;
  Health* health_ = nullptr;
  std::string address_;
};

/// Polls `condition` until it holds or `limit` passes (liveness checks
/// only: the limit is generous and never the point of a test).
/// An io_context for tests that drive client coroutines; call restart()
/// before each run(). It lives as long as the process because the client's
/// I/O thread may still be returning from its post() into it for a moment
/// after run() returned (Asio signals the wakeup after unlocking); a
/// test-local io_context destroyed at once would race with that.
boost::asio::io_context& coroutine_io();

/// Resident memory of this process (VmRSS), in bytes.
std::size_t resident_bytes();

bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(20));

/// The status `call()` failed with (its RpcError's code), or OK.
template <class Fn>
StatusCode code_of(Fn&& call) {
  try {
    std::forward<Fn>(call)();
  } catch (const RpcError& e) {
    return e.code();
  }
  return StatusCode::OK;
}

}  // namespace idlrpc::test
