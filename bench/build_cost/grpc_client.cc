// The gRPC twin of idlrpc_client.cpp (bench/build-cost). Usage:
// grpc_client HOST:PORT
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "teams.grpc.pb.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  const auto stub = teams::Teams::NewStub(grpc::CreateChannel(argv[1], grpc::InsecureChannelCredentials()));
  for (std::string city : {"Chicago", "Philadelphia", "Miami"}) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    teams::TeamRequest request;
    request.set_city(city);
    teams::TeamResponse team;
    const grpc::Status status = stub->GetTeam(&context, request, &team);
    if (status.ok()) {
      std::printf("Teams client received: %s %s\n", team.city().c_str(), team.nickname().c_str());
    } else if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      std::printf("Teams client received: %s not a member\n", city.c_str());
    } else {
      std::fprintf(stderr, "grpc_client: %s\n", status.error_message().c_str());
      return 1;
    }
  }
  return 0;
}
