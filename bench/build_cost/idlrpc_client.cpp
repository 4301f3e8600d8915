// teams_client for bench/build-cost: examples/teams/client.cpp without the
// command-line library and fmt. Usage: idlrpc_client HOST:PORT
#include <idlrpc/channel.hpp>

#include <chrono>
#include <cstdio>
#include <string>

#include "teams.idl.blocking.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  teams::Teams::Client client{idlrpc::Channel(argv[1])};
  try {
    for (std::string city : {"Chicago", "Philadelphia", "Miami"}) {
      try {
        const auto team = client.GetTeam({.city = city}, idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(5)));
        std::printf("Teams client received: %s %s\n", team.city.c_str(), team.nickname.c_str());
      } catch (const idlrpc::RpcError& e) {
        if (e.code() != idlrpc::StatusCode::NOT_FOUND) throw;
        std::printf("Teams client received: %s not a member\n", city.c_str());
      }
    }
  } catch (const idlrpc::RpcError& e) {
    std::fprintf(stderr, "idlrpc_client: %s\n", e.what());
    return 1;
  }
  return 0;
}
