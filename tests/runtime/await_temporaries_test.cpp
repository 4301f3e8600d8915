// Issue #15: co_await lines with the message written right in the call,
// on the client and in a coroutine handler. GCC 12 miscompiles them (the
// braced temporary is destroyed twice), so there idlrpc rejects them at
// compile time (await_temporaries_rejected_*.cpp, built by ctest) and
// these tests run the form docs/generated-code.md gives instead; every
// other compiler runs the natural lines. Built in the ASan build too.
#include <chrono>
#include <future>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "idlrpc/server.hpp"
#include "kv.idl.h"

namespace asio = boost::asio;

namespace kv {
namespace {

constexpr const char* kLong = "a value longer than the small-string buffer";

class CoroutineStore final : public Store::AsyncService {
 public:
  idlrpc::Task<Entry> Get(idlrpc::ServerContext&, const GetRequest& request) override {
    co_return Entry{.key = request.key, .value = "value of " + request.key};
  }
  idlrpc::Task<void> Watch(idlrpc::ServerContext&, const GetRequest& request,
                           idlrpc::AsyncServerWriter<Entry>& writer) override {
#if !IDLRPC_REJECT_AWAITED_RVALUES
    co_await writer.write({.key = request.key, .value = "v1"});
    co_await writer.write({.key = request.key, .value = kLong});
#else
    Entry first{.key = request.key, .value = "v1"};
    co_await writer.write(first);
    Entry second{.key = request.key, .value = kLong};
    co_await writer.write(second);
#endif
    // Rvalues that are not built in the expression are fine everywhere,
    // but GCC 12 builds refuse every rvalue (they cannot tell them apart).
    Entry third{.key = request.key, .value = "v3"};
    co_await writer.write(third);
  }
};

class AwaitTemporariesTest : public ::testing::Test {
 protected:
  AwaitTemporariesTest() {
    server_.add_service(service_);
    server_.start();
  }
  Store::Client client() { return Store::Client(idlrpc::Channel("127.0.0.1:" + std::to_string(server_.port()))); }

  // Runs `body` as a coroutine to completion.
  template <class Body>
  static void run(Body body) {
    // Never destroyed: the client's I/O thread may still be returning from
    // its post() into it just after run() returns (see test_server.hpp).
    static auto* io = new asio::io_context(1);
    io->restart();
    asio::co_spawn(*io, std::move(body), asio::detached);
    io->run();
  }

  CoroutineStore service_;
  idlrpc::Server server_{idlrpc::ServerOptions{.listen = {"127.0.0.1:0"}}};
};

TEST_F(AwaitTemporariesTest, ClientRequestBuiltInTheCall) {
  auto client = this->client();
  Entry small, large;
  run([&]() -> idlrpc::Task<void> {
#if !IDLRPC_REJECT_AWAITED_RVALUES
    small = co_await client.async_Get({.key = "user/1"}, asio::use_awaitable);
    large = co_await client.async_Get({.key = kLong}, idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(10)),
                                      asio::use_awaitable);
#else
    GetRequest request{.key = "user/1"};
    small = co_await client.async_Get(request, asio::use_awaitable);
    GetRequest long_request{.key = kLong};
    // CallOptions{} in the expression is fine with GCC 12 too.
    large = co_await client.async_Get(long_request, idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(10)),
                                      asio::use_awaitable);
#endif
  });
  EXPECT_EQ(small.value, "value of user/1");
  EXPECT_EQ(large.value, std::string("value of ") + kLong);
}

TEST_F(AwaitTemporariesTest, HandlerWritesMessageBuiltInTheCall) {
  auto client = this->client();
  std::vector<std::string> values;
  for (auto& entry : client.Watch({.key = "user/1"})) values.push_back(entry.value);
  EXPECT_EQ(values, (std::vector<std::string>{"v1", kLong, "v3"}));
}

// Not awaited, a braced message is fine with every compiler.
TEST_F(AwaitTemporariesTest, CallbackWithMessageBuiltInTheCall) {
  auto client = this->client();
  std::promise<std::string> value;
  client.async_Get({.key = kLong}, [&](std::exception_ptr error, Entry entry) {
    if (error) value.set_exception(error);
    else value.set_value(entry.value);
  });
  EXPECT_EQ(value.get_future().get(), std::string("value of ") + kLong);
}

}  // namespace
}  // namespace kv
