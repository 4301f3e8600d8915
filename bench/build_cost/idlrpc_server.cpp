// teams_server for bench/build-cost: examples/teams/server.cpp reduced to
// what grpc_server.cc does too (no command-line library, no fmt, one
// handler style). Usage: idlrpc_server [PORT]; prints "listening on
// 127.0.0.1:PORT"; SIGTERM stops it.
#include <idlrpc/server.hpp>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "teams.idl.blocking.h"
#include "teams_cities.hpp"

namespace {

class TeamsService final : public teams::Teams::Service {
  teams::TeamResponse GetTeam(idlrpc::ServerContext&, const teams::TeamRequest& request) override {
    const auto team = kMemberTeams.find(request.city);
    if (team == kMemberTeams.end()) throw idlrpc::Error(idlrpc::StatusCode::NOT_FOUND, request.city + " is not a member");
    return {.city = team->first, .nickname = team->second};
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string port = argc > 1 ? argv[1] : "0";
  TeamsService service;
  idlrpc::Server server({.listen = {"127.0.0.1:" + port}});
  server.add_service(service);
  server.start();
  server.shutdown_on_signals();
  std::printf("listening on 127.0.0.1:%u\n", static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  server.wait();
  return 0;
}
