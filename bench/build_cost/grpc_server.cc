// The gRPC twin of idlrpc_server.cpp (bench/build-cost). Usage:
// grpc_server [PORT]; prints "listening on 127.0.0.1:PORT"; SIGTERM ends
// the process (gRPC has no signal handling of its own).
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <memory>
#include <string>

#include "teams.grpc.pb.h"
#include "teams_cities.hpp"

namespace {

class TeamsService final : public teams::Teams::Service {
  grpc::Status GetTeam(grpc::ServerContext*, const teams::TeamRequest* request,
                       teams::TeamResponse* response) override {
    const auto team = kMemberTeams.find(request->city());
    if (team == kMemberTeams.end()) return {grpc::StatusCode::NOT_FOUND, request->city() + " is not a member"};
    response->set_city(team->first);
    response->set_nickname(team->second);
    return grpc::Status::OK;
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::string port = argc > 1 ? argv[1] : "0";
  TeamsService service;
  int bound_port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:" + port, grpc::InsecureServerCredentials(), &bound_port);
  builder.RegisterService(&service);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server) return 1;
  std::printf("listening on 127.0.0.1:%d\n", bound_port);
  std::fflush(stdout);
  server->Wait();
  return 0;
}
