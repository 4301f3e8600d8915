// What Asio's coroutines cost by themselves (bench/build-cost): the
// co_spawn, use_awaitable and use_future of idlrpc_coroutine_client.cpp
// around one coroutine, without idlrpc. The floor under any coroutine
// client, whatever the RPC library.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <cstdio>

namespace asio = boost::asio;

namespace {

asio::awaitable<int> greet() {
  std::printf("Teams client received: nothing\n");
  co_return 0;
}

}  // namespace

int main() {
  asio::io_context io;
  auto done = asio::co_spawn(io.get_executor(), greet(), asio::use_future);
  io.run();
  return done.get();
}
