#include "test_server.hpp"

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

TestResponse answer(ServerContext& context, const TestRequest& request) {
  if (request.fail_code != 0) throw Error(static_cast<StatusCode>(request.fail_code), request.text);
  if (request.throw_std) throw std::runtime_error(request.text);
  for (const auto& [key, value] : context.client_metadata()) {
    if (key.starts_with("x-echo")) {
      context.add_initial_metadata("x-initial" + key.substr(6), value);
      context.add_trailing_metadata("x-trailing" + key.substr(6), value);
    }
  }
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
  if (request.wait_for_cancel) {
    const auto give_up = Clock::now() + kStuckLimit;
    while (!context.is_cancelled() && Clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (context.is_cancelled()) ++observed_.saw_cancellation;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(request.delay_ms));
  return answer(context, request);
}

TestResponse BlockingTester::Forward(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  Tester::Client next(Channel(request.forward_to));
  return next.Echo(next_hop(request), CallOptions::from(context));
}

Task<TestResponse> CoroutineTester::Echo(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  if (request.wait_for_cancel) {
    // Cancelling the call cancels this wait (per-operation cancellation).
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kStuckLimit);
    try {
      co_await timer.async_wait(boost::asio::use_awaitable);
    } catch (const boost::system::system_error&) {
    }
    if (context.is_cancelled()) ++observed_.saw_cancellation;
  }
  if (request.delay_ms != 0) {
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                    std::chrono::milliseconds(request.delay_ms));
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  co_return answer(context, request);
}

Task<TestResponse> CoroutineTester::Forward(ServerContext& context, const TestRequest& request) {
  ++observed_.started;
  Tester::Client next(Channel(request.forward_to));
  co_return co_await next.async_Echo(next_hop(request), CallOptions::from(context), boost::asio::use_awaitable);
}

TestServer::TestServer(Style style, ServerOptions options, std::string listen) {
  if (style == Style::kBlocking) {
    service_ = std::make_unique<BlockingTester>(observed_);
  } else {
    service_ = std::make_unique<CoroutineTester>(observed_);
  }
  options.listen = {listen};
  server_ = std::make_unique<Server>(std::move(options));
  server_->add_service(*service_);
  server_->start();
  if (listen.starts_with("unix:")) {
    address_ = listen;
  } else {
    address_ = listen.substr(0, listen.rfind(':') + 1) + std::to_string(server_->port());
  }
}

TestServer::~TestServer() { server_->shutdown(std::chrono::milliseconds(0)); }

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace idlrpc::test
