// The coroutine twin of idlrpc_client.cpp (bench/build-cost): the same
// three calls, made with co_await client.async_GetTeam(..., use_awaitable)
// from a coroutine on the channel's executor. Usage:
// idlrpc_coroutine_client HOST:PORT
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "teams.idl.async.h"

namespace asio = boost::asio;

namespace {

asio::awaitable<int> ask(teams::Teams::Client client) {
  for (std::string city : {"Chicago", "Philadelphia", "Miami"}) {
    const teams::TeamRequest request{.city = city};
    const auto options = idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(5));
    try {
      const auto team = co_await client.async_GetTeam(request, options, asio::use_awaitable);
      std::printf("Teams client received: %s %s\n", team.city.c_str(), team.nickname.c_str());
    } catch (const idlrpc::RpcError& e) {
      if (e.code() != idlrpc::StatusCode::NOT_FOUND) {
        std::fprintf(stderr, "idlrpc_coroutine_client: %s\n", e.what());
        co_return 1;
      }
      std::printf("Teams client received: %s not a member\n", city.c_str());
    }
  }
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  teams::Teams::Client client{idlrpc::Channel(argv[1])};
  return asio::co_spawn(client.channel().executor(), ask(client), asio::use_future).get();
}
