// The Asio-free coroutine client: idlc's co_<Method> awaited in an
// idlrpc::Lazy run by sync_wait() (lazy.hpp, unary_awaitable.hpp), against
// a real server over loopback. This file includes no Asio header, as the
// client it stands for would not.
#include <chrono>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

#include "idlrpc/lazy.hpp"
#include "idlrpc/server.hpp"
#include "kv.idl.blocking.h"

using namespace std::chrono_literals;

namespace kv {
namespace {

// Get answers key "k" with value "v:k"; "missing" is NOT_FOUND; "slow:N"
// answers after N ms.
class Answers final : public Store::Service {
 public:
  Entry Get(idlrpc::ServerContext&, const GetRequest& request) override {
    if (request.key == "missing") throw idlrpc::Error(idlrpc::StatusCode::NOT_FOUND, "no such key");
    if (request.key.starts_with("slow:")) std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(request.key.substr(5))));
    return Entry{.key = request.key, .value = "v:" + request.key};
  }
};

class LazyClientTest : public ::testing::Test {
 protected:
  LazyClientTest() {
    server_.add_service(service_);
    server_.start();
  }
  Store::Client client() { return Store::Client(idlrpc::Channel("127.0.0.1:" + std::to_string(server_.port()))); }

  Answers service_;
  idlrpc::Server server_{idlrpc::ServerOptions{.listen = {"127.0.0.1:0"}}};
};

idlrpc::Lazy<std::string> value_of(Store::Client client, std::string key) {
  const GetRequest request{.key = std::move(key)};
  const Entry entry = co_await client.co_Get(request);
  co_return entry.value;
}

TEST_F(LazyClientTest, CoGetReturnsTheResponse) {
  EXPECT_EQ(idlrpc::sync_wait(value_of(client(), "k")), "v:k");
}

TEST_F(LazyClientTest, AFailedCallThrowsRpcErrorInTheCoroutine) {
  auto code_of = [](Store::Client client) -> idlrpc::Lazy<idlrpc::StatusCode> {
    const GetRequest request{.key = "missing"};
    try {
      co_await client.co_Get(request);
    } catch (const idlrpc::RpcError& e) {
      co_return e.code();
    }
    co_return idlrpc::StatusCode::OK;
  };
  EXPECT_EQ(idlrpc::sync_wait(code_of(client())), idlrpc::StatusCode::NOT_FOUND);
}

TEST_F(LazyClientTest, AnErrorLeavingTheLazyIsRethrownBySyncWait) {
  try {
    idlrpc::sync_wait(value_of(client(), "missing"));
    FAIL() << "expected RpcError";
  } catch (const idlrpc::RpcError& e) {
    EXPECT_EQ(e.code(), idlrpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(e.message(), "no such key");
  }
}

// Lazys awaiting Lazys, each finished one resuming its parent by symmetric
// transfer: a long chain of calls and awaits, on one stack.
TEST_F(LazyClientTest, NestedLazysRunManyCallsInOrder) {
  auto all = [](Store::Client client) -> idlrpc::Lazy<std::string> {
    std::string joined;
    for (int i = 0; i < 200; ++i) joined += co_await value_of(client, std::to_string(i)) + ",";
    co_return joined;
  };
  std::string expected;
  for (int i = 0; i < 200; ++i) expected += "v:" + std::to_string(i) + ",";
  EXPECT_EQ(idlrpc::sync_wait(all(client())), expected);
}

TEST_F(LazyClientTest, ALazyOfVoidRunsToItsEnd) {
  std::string seen;
  auto fill = [](Store::Client client, std::string& out) -> idlrpc::Lazy<> {
    out = co_await value_of(client, "a");
  };
  idlrpc::sync_wait(fill(client(), seen));
  EXPECT_EQ(seen, "v:a");
}

TEST_F(LazyClientTest, TheDeadlineEndsTheAwaitedCall) {
  auto call = [](Store::Client client) -> idlrpc::Lazy<idlrpc::StatusCode> {
    const GetRequest request{.key = "slow:600"};
    try {
      co_await client.co_Get(request, idlrpc::CallOptions{}.set_timeout(50ms));
    } catch (const idlrpc::RpcError& e) {
      co_return e.code();
    }
    co_return idlrpc::StatusCode::OK;
  };
  EXPECT_EQ(idlrpc::sync_wait(call(client())), idlrpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(LazyClientTest, TheStopTokenOfTheOptionsCancelsTheAwaitedCall) {
  std::stop_source stop;
  auto call = [](Store::Client client, std::stop_token token) -> idlrpc::Lazy<idlrpc::StatusCode> {
    const GetRequest request{.key = "slow:600"};
    try {
      co_await client.co_Get(request, idlrpc::CallOptions{}.set_cancellation(std::move(token)));
    } catch (const idlrpc::RpcError& e) {
      co_return e.code();
    }
    co_return idlrpc::StatusCode::OK;
  };
  std::jthread canceller([&] {
    std::this_thread::sleep_for(50ms);
    stop.request_stop();
  });
  EXPECT_EQ(idlrpc::sync_wait(call(client(), stop.get_token())), idlrpc::StatusCode::CANCELLED);
}

// The awaitable keeps its own encoded request and options: kept after both
// are gone, and awaited later.
TEST_F(LazyClientTest, AnAwaitableCanBeKeptAndAwaitedLater) {
  auto later = [](Store::Client client) -> idlrpc::Lazy<std::string> {
    auto pending = [&] {
      const GetRequest request{.key = "kept"};
      return client.co_Get(request, idlrpc::CallOptions{}.set_timeout(5s));
    }();
    const Entry entry = co_await pending;
    co_return entry.value;
  };
  EXPECT_EQ(idlrpc::sync_wait(later(client())), "v:kept");
}

#if !IDLRPC_REJECT_AWAITED_RVALUES
// The natural line (GCC 12 refuses it at compile time: see
// runtime.gcc12_rejects_awaited_temporary_co_client).
TEST_F(LazyClientTest, ARequestBuiltInTheAwaitExpression) {
  auto get = [](Store::Client client) -> idlrpc::Lazy<std::string> {
    co_return (co_await client.co_Get({.key = "braced"})).value;
  };
  EXPECT_EQ(idlrpc::sync_wait(get(client())), "v:braced");
}
#endif

TEST_F(LazyClientTest, AnAwaitableAwaitedTwiceThrowsLogicError) {
  auto twice = [](Store::Client client) -> idlrpc::Lazy<std::string> {
    const GetRequest request{.key = "once"};
    auto pending = client.co_Get(request);
    co_await pending;
    try {
      co_await pending;
    } catch (const std::logic_error& e) {
      co_return e.what();
    }
    co_return "no error";
  };
  EXPECT_EQ(idlrpc::sync_wait(twice(client())),
            "idlrpc: a co_<Method> call can be awaited once: this one was awaited already");
}

TEST_F(LazyClientTest, AMovedFromLazyCannotRun) {
  auto lazy = value_of(client(), "k");
  auto taken = std::move(lazy);
  EXPECT_THROW(idlrpc::sync_wait(std::move(lazy)), std::logic_error);
  EXPECT_EQ(idlrpc::sync_wait(std::move(taken)), "v:k");
}

// After an awaited call the coroutine goes on on the channel's I/O thread:
// blocking there (a blocking call, sync_wait) throws instead of hanging.
TEST_F(LazyClientTest, BlockingAfterAnAwaitedCallThrowsInsteadOfHanging) {
  auto block = [](Store::Client client) -> idlrpc::Lazy<std::string> {
    const GetRequest request{.key = "a"};
    co_await client.co_Get(request);
    std::string what;
    try {
      client.Get(request, idlrpc::CallOptions{}.set_timeout(2s));
      what += "blocking call returned;";
    } catch (const std::logic_error& e) {
      what += std::string(e.what()).find("I/O thread") != std::string::npos ? "call refused;" : e.what();
    }
    try {
      idlrpc::sync_wait(value_of(client, "b"));
      what += "sync_wait returned";
    } catch (const std::logic_error& e) {
      what += std::string(e.what()).find("sync_wait()") != std::string::npos ? "sync_wait refused" : e.what();
    }
    co_return what;
  };
  EXPECT_EQ(idlrpc::sync_wait(block(client())), "call refused;sync_wait refused");
  // The thread is not marked for good: a blocking call from here works.
  EXPECT_EQ(client().Get({.key = "c"}).value, "v:c");
}

}  // namespace
}  // namespace kv
