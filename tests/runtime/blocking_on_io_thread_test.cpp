// Issue #15: a blocking call made on an idlrpc I/O thread (a coroutine
// handler, a completion handler) would wait forever for the thread it
// blocks. It throws std::logic_error instead, saying what to use.
#include <chrono>
#include <exception>
#include <future>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <gtest/gtest.h>

#include "idlrpc/server.hpp"
#include "kv.idl.h"

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace kv {
namespace {

// What a blocking call `call` threw: the logic_error's message, or a note.
template <class Call>
std::string what_blocking_throws(Call call) {
  try {
    call();
    return "returned";
  } catch (const std::logic_error& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not a logic_error: ") + e.what();
  }
}

// Get("block") makes a blocking call to this same server from the handler.
class BlockingInside final : public Store::AsyncService {
 public:
  std::string self;
  idlrpc::Task<Entry> Get(idlrpc::ServerContext&, const GetRequest& request) override {
    if (request.key != "block") co_return Entry{.key = request.key, .value = "ok"};
    Store::Client client{idlrpc::Channel(self)};
    const GetRequest inner{.key = "inner"};
    co_return Entry{.key = request.key, .value = what_blocking_throws([&] {
                      // Without the check: the inner call waits for this very
                      // thread (one I/O thread) until its deadline.
                      client.Get(inner, idlrpc::CallOptions{}.set_timeout(2s));
                    })};
  }
  idlrpc::Task<void> Watch(idlrpc::ServerContext&, const GetRequest& request,
                           idlrpc::AsyncServerWriter<Entry>& writer) override {
    const Entry entry{.key = request.key, .value = "w"};
    co_await writer.write(entry);
  }
};

class BlockingOnIoThreadTest : public ::testing::Test {
 protected:
  BlockingOnIoThreadTest() {
    server_.add_service(service_);
    server_.start();
    service_.self = "127.0.0.1:" + std::to_string(server_.port());
  }
  Store::Client client() { return Store::Client(idlrpc::Channel(service_.self)); }

  BlockingInside service_;
  idlrpc::Server server_{idlrpc::ServerOptions{.listen = {"127.0.0.1:0"}, .io_threads = 1}};
};

void expect_clear_message(const std::string& what, const std::string& operation, const std::string& instead) {
  EXPECT_NE(what.find(operation), std::string::npos) << what;
  EXPECT_NE(what.find("I/O thread"), std::string::npos) << what;
  EXPECT_NE(what.find(instead), std::string::npos) << what;
}

TEST_F(BlockingOnIoThreadTest, UnaryCallFromCoroutineHandler) {
  const Entry entry = client().Get({.key = "block"}, idlrpc::CallOptions{}.set_timeout(10s));
  expect_clear_message(entry.value, "/kv.Store/Get", "co_await client.async_<Method>(request, asio::use_awaitable)");
}

TEST_F(BlockingOnIoThreadTest, UnaryCallFromCompletionHandler) {
  auto client = this->client();
  std::promise<std::string> what;
  client.async_Get({.key = "a"}, [&](std::exception_ptr, Entry) {
    // Without the check this waits forever: its deadline would fire on
    // this very thread.
    what.set_value(what_blocking_throws([&] { client.Get({.key = "b"}, idlrpc::CallOptions{}.set_timeout(2s)); }));
  });
  auto future = what.get_future();
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready) << "the blocking call hung";
  expect_clear_message(future.get(), "/kv.Store/Get", "async_");
}

TEST_F(BlockingOnIoThreadTest, StreamReadFromCompletionHandler) {
  auto client = this->client();
  std::promise<std::string> what;
  client.async_Get({.key = "a"}, [&](std::exception_ptr, Entry) {
    what.set_value(what_blocking_throws([&] {
      auto reader = client.Watch({.key = "w"}, idlrpc::CallOptions{}.set_timeout(2s));
      reader.read();
    }));
  });
  auto future = what.get_future();
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready) << "the blocking read hung";
  expect_clear_message(future.get(), "read()", "co_await stream.async_read(asio::use_awaitable)");
}

TEST_F(BlockingOnIoThreadTest, UnaryCallFromCoroutineOnTheChannelsExecutor) {
  auto client = this->client();
  std::promise<std::string> what;
  asio::co_spawn(
      client.channel().executor(),
      [&]() -> idlrpc::Task<void> {
        what.set_value(what_blocking_throws([&] { client.Get({.key = "b"}, idlrpc::CallOptions{}.set_timeout(2s)); }));
        co_return;
      },
      asio::detached);
  auto future = what.get_future();
  ASSERT_EQ(future.wait_for(20s), std::future_status::ready) << "the blocking call hung";
  expect_clear_message(future.get(), "/kv.Store/Get", "async_");
}

// The same calls from an ordinary thread still block and return.
TEST_F(BlockingOnIoThreadTest, BlockingCallsElsewhereStillWork) {
  auto client = this->client();
  EXPECT_EQ(client.Get({.key = "a"}).value, "ok");
  std::vector<std::string> values;
  for (auto& entry : client.Watch({.key = "w"})) values.push_back(entry.value);
  EXPECT_EQ(values, std::vector<std::string>{"w"});
}

}  // namespace
}  // namespace kv
