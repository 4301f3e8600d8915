// idlc's generated stubs and skeletons (from test.idl) against the runtime:
// every call kind, both handler styles.
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "idlrpc/server.hpp"
#include "test.idl.h"

namespace idlrpc::gen {
namespace {

// test.idl marks Hello `option idempotency_level = IDEMPOTENT;`.
static_assert(Greeter::kHello.idempotency == Idempotency::kIdempotent);
static_assert(Greeter::kRepeat.idempotency == Idempotency::kUnknown);

class BlockingGreeter final : public Greeter::Service {
 public:
  Reply Hello(ServerContext&, const Greeting& request) override {
    if (request.name.empty()) throw Error(StatusCode::INVALID_ARGUMENT, "who?");
    Reply reply;
    reply.text = "hello " + request.name;
    return reply;
  }
  void Repeat(ServerContext&, const Greeting& request, ServerWriter<Reply>& writer) override {
    for (std::uint32_t i = 0; i < request.times; ++i) {
      Reply reply;
      reply.text = request.name;
      writer.write(reply);
    }
  }
  Reply Collect(ServerContext&, ServerReader<Greeting>& reader) override {
    Reply reply;
    for (auto& greeting : reader) reply.seen.push_back(greeting.name);
    return reply;
  }
  void Talk(ServerContext&, ServerReaderWriter<Reply, Greeting>& stream) override {
    while (auto greeting = stream.read()) {
      Reply reply;
      reply.text = "hi " + greeting->name;
      stream.write(reply);
    }
  }
};

class CoroutineGreeter final : public Greeter::AsyncService {
 public:
  Task<Reply> Hello(ServerContext&, const Greeting& request) override {
    if (request.name.empty()) throw Error(StatusCode::INVALID_ARGUMENT, "who?");
    Reply reply;
    reply.text = "hello " + request.name;
    co_return reply;
  }
  Task<void> Repeat(ServerContext&, const Greeting& request, AsyncServerWriter<Reply>& writer) override {
    for (std::uint32_t i = 0; i < request.times; ++i) {
      Reply reply;
      reply.text = request.name;
      co_await writer.write(reply);
    }
  }
  Task<Reply> Collect(ServerContext&, AsyncServerReader<Greeting>& reader) override {
    Reply reply;
    while (auto greeting = co_await reader.read()) reply.seen.push_back(greeting->name);
    co_return reply;
  }
  Task<void> Talk(ServerContext&, AsyncServerReaderWriter<Reply, Greeting>& stream) override {
    while (auto greeting = co_await stream.read()) {
      Reply reply;
      reply.text = "hi " + greeting->name;
      co_await stream.write(reply);
    }
  }
};

template <class Service>
class GeneratedCodeTest : public ::testing::Test {
 protected:
  GeneratedCodeTest() {
    server_.add_service(service_);
    server_.start();
  }
  Greeter::Client client() { return Greeter::Client(Channel("127.0.0.1:" + std::to_string(server_.port()))); }

  Service service_;
  Server server_{ServerOptions{.listen = {"127.0.0.1:0"}}};
};
using Styles = ::testing::Types<BlockingGreeter, CoroutineGreeter>;
TYPED_TEST_SUITE(GeneratedCodeTest, Styles);

Greeting greeting(std::string name, std::uint32_t times = 0) {
  Greeting g;
  g.name = std::move(name);
  g.times = times;
  return g;
}

TYPED_TEST(GeneratedCodeTest, Unary) {
  auto client = this->client();
  EXPECT_EQ(client.Hello(greeting("ada")).text, "hello ada");
  try {
    client.Hello(greeting(""));
    FAIL() << "expected RpcError";
  } catch (const RpcError& e) {
    EXPECT_EQ(e.code(), StatusCode::INVALID_ARGUMENT);
  }
}

TYPED_TEST(GeneratedCodeTest, AsyncUnaryWithAwaitable) {
  auto client = this->client();
  // Never destroyed: the client's I/O thread may still be returning from
  // its post() into it just after run() returns (see test_server.hpp).
  static auto* io_storage = new boost::asio::io_context(1);
  auto& io = *io_storage;
  io.restart();
  std::string text;
  boost::asio::co_spawn(
      io,
      [&]() -> Task<void> {
        const Greeting bob = greeting("bob");  // named: see "GCC 12" in docs/generated-code.md
        Reply reply = co_await client.async_Hello(bob, boost::asio::use_awaitable);
        text = reply.text;
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(text, "hello bob");
}

TYPED_TEST(GeneratedCodeTest, ServerStreaming) {
  auto client = this->client();
  int count = 0;
  for (auto& reply : client.Repeat(greeting("echo", 5))) {
    EXPECT_EQ(reply.text, "echo");
    ++count;
  }
  EXPECT_EQ(count, 5);
}

TYPED_TEST(GeneratedCodeTest, ClientStreaming) {
  auto client = this->client();
  auto writer = client.Collect();
  for (const char* name : {"a", "b", "c"}) writer.write(greeting(name));
  EXPECT_EQ(writer.finish().seen, (std::vector<std::string>{"a", "b", "c"}));
}

TYPED_TEST(GeneratedCodeTest, Bidi) {
  auto client = this->client();
  auto stream = client.Talk();
  std::vector<std::string> replies;
  for (const char* name : {"x", "y"}) {
    stream.write(greeting(name));
    replies.push_back(stream.read()->text);
  }
  stream.writes_done();
  EXPECT_FALSE(stream.read().has_value());
  stream.finish();
  EXPECT_EQ(replies, (std::vector<std::string>{"hi x", "hi y"}));
}

}  // namespace
}  // namespace idlrpc::gen
