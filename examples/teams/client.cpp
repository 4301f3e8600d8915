// teams_client: asks the Teams server about three cities.
//
//   teams_client [--target localhost:50051] [--lb round_robin]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <chrono>
#include <string>

#include "teams.idl.h"

int main(int argc, char** argv) {
  CLI::App app{"Asks the Teams server which team plays in a city."};
  std::string target = "localhost:50051";
  app.add_option("--target", target, "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  CLI11_PARSE(app, argc, argv);

  teams::Teams::Client teams{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    for (std::string city : {"Chicago", "Philadelphia", "Miami"}) {
      try {
        auto team = teams.GetTeam({.city = city},
                                  idlrpc::CallOptions{}.set_timeout(std::chrono::seconds(5)));
        fmt::print("Teams client received: {} {}\n", team.city, team.nickname);
      } catch (const idlrpc::RpcError& e) {
        if (e.code() != idlrpc::StatusCode::NOT_FOUND) throw;
        fmt::print("Teams client received: {} not a member\n", city);
      }
    }
  } catch (const idlrpc::RpcError& e) {
    // The runtime names the address in connection errors.
    fmt::print(stderr, "teams_client: {}\n", e.what());
    return 1;
  }
  return 0;
}
