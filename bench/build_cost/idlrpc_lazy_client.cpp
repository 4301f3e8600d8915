// The coroutine twin of idlrpc_client.cpp (bench/build-cost): the same
// three calls, made with co_await client.co_GetTeam(...) from an
// idlrpc::Lazy run by sync_wait(). Only the blocking header and lazy.hpp:
// no Asio. Usage: idlrpc_lazy_client HOST:PORT
#include <idlrpc/channel.hpp>
#include <idlrpc/lazy.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "teams.idl.blocking.h"

namespace {

idlrpc::Lazy<int> ask(teams::Teams::Client client) {
  for (std::string city : {"Chicago", "Philadelphia", "Miami"}) {
    const teams::TeamRequest request{.city = city};
    try {
      const auto team =
          co_await client.co_GetTeam(request, idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(5)));
      std::printf("Teams client received: %s %s\n", team.city.c_str(), team.nickname.c_str());
    } catch (const idlrpc::RpcError& e) {
      if (e.code() != idlrpc::StatusCode::NOT_FOUND) {
        std::fprintf(stderr, "idlrpc_lazy_client: %s\n", e.what());
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
  return idlrpc::sync_wait(ask(client));
}
