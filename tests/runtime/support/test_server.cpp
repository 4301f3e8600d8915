#include "test_server.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace idlrpc::test {
namespace {

// A "stuck" handler waits at most this long: long enough that only
// cancellation ends it in a passing test, short enough that a broken
// runtime cannot hang the suite forever.
constexpr auto kStuckLimit = std::chrono::seconds(60);

TestRequest next_hop(const TestRequest& request) {
  TestRequest next = request;
  next.forward_to.clear();
  return next;
}

}  // namespace

std::string to_string(Style style) { return style == Style::kBlocking ? "Blocking" : "Coroutine"; }

TestResponse nth_response(const TestRequest& request, std::uint32_t i) {
  TestResponse response;
  response.text = request.count == 0 ? request.text : std::to_string(i);
  response.payload.assign(request.response_bytes, 'r');
  return response;
}

void echo_metadata(ServerContext& context) {
  if (context.client_metadata().get("x-identity")) {
    const PeerIdentity& identity = context.peer_identity();
    context.add_trailing_metadata("x-tls-version", identity.tls_version);
    context.add_trailing_metadata("x-subject", identity.subject);
    context.add_trailing_metadata("x-principal", context.principal());
    for (const auto& name : identity.dns_sans) context.add_trailing_metadata("x-dns-san", name);
    for (const auto& uri : identity.uri_sans) context.add_trailing_metadata("x-uri-san", uri);
  }
  for (const auto& [key, value] : context.client_metadata()) {
    if (key.starts_with("x-echo")) {
      context.add_initial_metadata("x-initial" + key.substr(6), value);
      context.add_trailing_metadata("x-trailing" + key.substr(6), value);
    }
  }
}

TestResponse answer(ServerContext& context, const TestRequest& request) {
  if (request.fail_code != 0) throw Error(static_cast<StatusCode>(request.fail_code), request.text);
  if (request.throw_std) throw std::runtime_error(request.text);
  echo_metadata(context);
  TestResponse response;
  response.text = request.text;
  response.payload.assign(request.response_bytes, 'r');
  response.peer = context.peer();
  response.user_agent = std::string(context.client_metadata().get("user-agent").value_or(""));
  if (context.deadline()) {
    response.deadline_left_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(*context.deadline() - Clock::now()).count();
  }
  return response;
}

TestResponse BlockingTester::Echo(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  if (request.wait_for_cancel) wait_until_cancelled(context);
  std::this_thread::sleep_for(std::chrono::milliseconds(request.delay_ms));
  return answer(context, request);
}

void BlockingTester::wait_until_cancelled(ServerContext& context) {
  const auto give_up = Clock::now() + kStuckLimit;
  while (!context.is_cancelled() && Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
}

void BlockingTester::Count(ServerContext& context, const TestRequest& request, ServerWriter<TestResponse>& writer) {
  ++observed_.started;
  echo_metadata(context);
  if (context.client_metadata().get("x-send-initial-now")) writer.send_initial_metadata();
  for (std::uint32_t i = 0; i < request.count; ++i) {
    if (!writer.write(nth_response(request, i))) {
      if (context.is_cancelled()) ++observed_.saw_cancellation;
      return;
    }
    ++observed_.written;
  }
  if (request.wait_for_cancel) wait_until_cancelled(context);
  if (request.fail_code != 0) throw Error(static_cast<StatusCode>(request.fail_code), request.text);
}

TestResponse BlockingTester::Sum(ServerContext& context, ServerReader<TestRequest>& reader) {
  ++observed_.started;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  while (auto message = reader.read()) {
    if (message->fail_code != 0) throw Error(static_cast<StatusCode>(message->fail_code), message->text);
    if (message->wait_for_cancel) {
      wait_until_cancelled(context);
      return {};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(message->delay_ms));
    ++messages;
    bytes += message->payload.size();
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
  TestResponse response;
  response.text = std::to_string(messages) + " messages, " + std::to_string(bytes) + " bytes";
  return response;
}

void BlockingTester::Chat(ServerContext& context, ServerReaderWriter<TestResponse, TestRequest>& stream) {
  ++observed_.started;
  while (auto message = stream.read()) {
    if (message->text == "bye") return;
    if (message->fail_code != 0) throw Error(static_cast<StatusCode>(message->fail_code), message->text);
    if (message->wait_for_cancel) {
      wait_until_cancelled(context);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(message->delay_ms));
    for (std::uint32_t i = 0; i < std::max<std::uint32_t>(message->count, 1); ++i) {
      if (!stream.write(nth_response(*message, i))) return;
      ++observed_.written;
    }
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
}

TestResponse BlockingTester::Forward(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  Tester::Client next(Channel(request.forward_to));
  return next.Echo(next_hop(request), CallOptions::from(context));
}

Task<TestResponse> CoroutineTester::Echo(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  if (request.wait_for_cancel) co_await wait_until_cancelled(context);
  co_await sleep(request.delay_ms);
  co_return answer(context, request);
}

Task<void> CoroutineTester::wait_until_cancelled(ServerContext& context) {
  // Cancelling the call cancels this wait (per-operation cancellation).
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kStuckLimit);
  try {
    co_await timer.async_wait(boost::asio::use_awaitable);
  } catch (const boost::system::system_error&) {
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
}

Task<void> CoroutineTester::sleep(std::uint32_t ms) {
  if (ms == 0) co_return;
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, std::chrono::milliseconds(ms));
  co_await timer.async_wait(boost::asio::use_awaitable);
}

Task<void> CoroutineTester::Count(ServerContext& context, const TestRequest& request,
                                  AsyncServerWriter<TestResponse>& writer) {
  ++observed_.started;
  echo_metadata(context);
  if (context.client_metadata().get("x-send-initial-now")) writer.send_initial_metadata();
  for (std::uint32_t i = 0; i < request.count; ++i) {
    // Named: GCC 12 builds refuse a message rvalue in co_await (docs/generated-code.md).
    const TestResponse response = nth_response(request, i);
    if (!co_await writer.write(response)) {
      if (context.is_cancelled()) ++observed_.saw_cancellation;
      co_return;
    }
    ++observed_.written;
  }
  if (request.wait_for_cancel) co_await wait_until_cancelled(context);
  if (request.fail_code != 0) throw Error(static_cast<StatusCode>(request.fail_code), request.text);
}

Task<TestResponse> CoroutineTester::Sum(ServerContext& context, AsyncServerReader<TestRequest>& reader) {
  ++observed_.started;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  while (auto message = co_await reader.read()) {
    if (message->fail_code != 0) throw Error(static_cast<StatusCode>(message->fail_code), message->text);
    if (message->wait_for_cancel) {
      co_await wait_until_cancelled(context);
      co_return TestResponse{};
    }
    co_await sleep(message->delay_ms);
    ++messages;
    bytes += message->payload.size();
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
  TestResponse response;
  response.text = std::to_string(messages) + " messages, " + std::to_string(bytes) + " bytes";
  co_return response;
}

Task<void> CoroutineTester::Chat(ServerContext& context, AsyncServerReaderWriter<TestResponse, TestRequest>& stream) {
  ++observed_.started;
  while (auto message = co_await stream.read()) {
    if (message->text == "bye") co_return;
    if (message->fail_code != 0) throw Error(static_cast<StatusCode>(message->fail_code), message->text);
    if (message->wait_for_cancel) {
      co_await wait_until_cancelled(context);
      co_return;
    }
    co_await sleep(message->delay_ms);
    for (std::uint32_t i = 0; i < std::max<std::uint32_t>(message->count, 1); ++i) {
      const TestResponse response = nth_response(*message, i);
      if (!co_await stream.write(response)) co_return;
      ++observed_.written;
    }
  }
  if (context.is_cancelled()) ++observed_.saw_cancellation;
}

Task<TestResponse> CoroutineTester::Forward(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  Tester::Client next(Channel(request.forward_to));
  co_return co_await next.async_Echo(next_hop(request), CallOptions::from(context), boost::asio::use_awaitable);
}

TestServer::TestServer(Style style, ServerOptions options, std::string listen, WithHealth health) {
  if (style == Style::kBlocking) {
    service_ = std::make_unique<BlockingTester>(observed_);
  } else {
    service_ = std::make_unique<CoroutineTester>(observed_);
  }
  options.listen = {listen};
  server_ = std::make_unique<Server>(std::move(options));
  server_->add_service(*service_);
  if (health == WithHealth::kYes) health_ = &server_->enable_health();
  server_->start();
  if (listen.starts_with("unix:")) {
    address_ = listen;
  } else {
    address_ = listen.substr(0, listen.rfind(':') + 1) + std::to_string(server_->port());
  }
}

TestServer::~TestServer() { server_->shutdown(std::chrono::milliseconds(0)); }

boost::asio::io_context& coroutine_io() {
  static auto* io = new boost::asio::io_context(1);  // never destroyed: see the header
  return *io;
}

std::size_t resident_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::stoul(line.substr(6)) * 1024;  // "VmRSS:  1234 kB"
  }
  return 0;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace idlrpc::test
