// teams_client: asks the Teams server about three cities.
//
//   teams_client [--target localhost:50051] [--lb round_robin]
//                [--tls-ca FILE [--tls-cert FILE --tls-key FILE]]
//
// --target takes any target (host:port, dns:///name:port, ipv4:a:p,b:p,
// file:///path, unix:/path, each optionally after tls://); --lb spreads the
// calls over the addresses it resolves to. --tls-ca connects with TLS and
// trusts that CA (without it, a target "tls://..." uses the system's CAs);
// --tls-cert and --tls-key add a client certificate for servers that require
// one (mutual TLS).
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <chrono>
#include <string>

#include "teams.idl.h"

int main(int argc, char** argv) {
  CLI::App app{"Asks the Teams server which team plays in a city."};
  std::string target = "localhost:50051";
  std::string lb = "pick_first";
  std::string ca, cert, key;
  app.add_option("--target", target,
                 "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path, "
                 "optionally after tls://");
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  auto* ca_option = app.add_option("--tls-ca", ca, "connect with TLS, trusting this CA (PEM)");
  auto* cert_option = app.add_option("--tls-cert", cert, "client certificate for mutual TLS (PEM)")->needs(ca_option);
  app.add_option("--tls-key", key, "the client certificate's private key (PEM)")->needs(cert_option);
  cert_option->needs(app.get_option("--tls-key"));
  CLI11_PARSE(app, argc, argv);

  idlrpc::ChannelOptions options{.lb_policy = idlrpc::lb_policy_from_name(lb)};
  if (!ca.empty()) {
    options.tls = idlrpc::ChannelTlsOptions{.ca_file = ca};
    if (!cert.empty()) options.tls->identity = idlrpc::TlsIdentity{.cert_chain_file = cert, .private_key_file = key};
  }
  teams::Teams::Client teams{idlrpc::Channel(target, std::move(options))};
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
