// teams_server: answers "which team plays in this city?".
//
//   teams_server [--port 50051] [--coroutines]
//                [--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]
//
// The same service is written twice, once per handler style, so you can
// compare them: TeamsService has a blocking handler that runs on the
// server's worker pool; AsyncTeamsService has a coroutine handler that runs
// on the I/O threads. Pick one with --coroutines. Ctrl-C stops the server
// gracefully. With --tls-cert and --tls-key it speaks only TLS; adding
// --tls-client-ca requires clients to present a certificate from that CA
// (mutual TLS). make-certs.sh makes all three.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/health.hpp>
#include <idlrpc/metrics.hpp>
#include <idlrpc/server.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "teams.idl.h"

namespace {

const std::map<std::string, std::string, std::less<>> kMemberTeams = {
    {"Chicago", "Jackals"},         {"Detroit", "Wheels"},
    {"Minneapolis", "Nordics"},     {"New York", "Metros"},
    {"Arizona", "Roadrunners"},     {"San Francisco", "Stingers"},
    {"Seattle", "Orcas"},           {"Los Angeles", "Pumas"},
    {"Philadelphia", "Foxes"},      {"Boston", "Revolutionaries"},
};

// The answer, whichever style asks. Unknown cities are NOT_FOUND: the
// client tells that apart from a failed call by the status code.
teams::TeamResponse find_team(idlrpc::ServerContext& context, const teams::TeamRequest& request) {
  fmt::print("GetTeam({}) from {}", request.city, context.peer());
  if (const auto& identity = context.peer_identity(); identity.tls) {
    fmt::print(" over {}", identity.tls_version);
    for (const auto& name : identity.uri_sans) fmt::print(" as {}", name);
  }
  for (const auto& [key, value] : context.client_metadata()) fmt::print(" {}={}", key, value);
  fmt::print("\n");
  std::fflush(stdout);

  auto team = kMemberTeams.find(request.city);
  if (team == kMemberTeams.end()) {
    throw idlrpc::Error(idlrpc::StatusCode::NOT_FOUND, request.city + " is not a member");
  }
  return {.city = team->first, .nickname = team->second};
}

class TeamsService final : public teams::Teams::Service {
  teams::TeamResponse GetTeam(idlrpc::ServerContext& context,
                              const teams::TeamRequest& request) override {
    return find_team(context, request);
  }
};

class AsyncTeamsService final : public teams::Teams::AsyncService {
  idlrpc::Task<teams::TeamResponse> GetTeam(idlrpc::ServerContext& context,
                                            const teams::TeamRequest& request) override {
    co_return find_team(context, request);
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the Teams service."};
  std::uint16_t port = 50051;
  bool coroutines = false;
  std::string cert, key, client_ca;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_flag("--coroutines", coroutines, "serve with coroutine handlers on the I/O threads");
  auto* cert_option = app.add_option("--tls-cert", cert, "serve TLS with this certificate chain (PEM)");
  app.add_option("--tls-key", key, "the certificate's private key (PEM)")->needs(cert_option);
  cert_option->needs(app.get_option("--tls-key"));
  app.add_option("--tls-client-ca", client_ca, "require client certificates from this CA (mutual TLS)")
      ->needs(cert_option);
  unsigned drain_delay_ms = 0;
  app.add_option("--drain-delay", drain_delay_ms,
                 "on Ctrl-C or SIGTERM, answer NOT_SERVING (health, /readyz) for this many ms before draining");
  CLI11_PARSE(app, argc, argv);

  // Health (the Health service and /readyz), and call metrics on /metrics:
  // probes and Prometheus reach them on the same port (docs/operations.md).
  idlrpc::ServerOptions options{.listen = {fmt::format("0.0.0.0:{}", port)},
                                .metrics = std::make_shared<idlrpc::Metrics>(),
                                .drain_delay = std::chrono::milliseconds(drain_delay_ms)};
  if (!cert.empty()) {
    options.tls = idlrpc::ServerTlsOptions{.identities = {{.cert_chain_file = cert, .private_key_file = key}}};
    if (!client_ca.empty()) {
      options.tls->client_certificates = idlrpc::ClientCertificates::kRequire;
      options.tls->client_ca_file = client_ca;
    }
  }
  TeamsService blocking_service;
  AsyncTeamsService coroutine_service;
  idlrpc::Server server(std::move(options));
  if (coroutines) {
    server.add_service(coroutine_service);
  } else {
    server.add_service(blocking_service);
  }
  server.enable_health();
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "teams_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Teams server ({} handlers{}) listening on 0.0.0.0:{}\n", coroutines ? "coroutine" : "blocking",
             cert.empty() ? "" : client_ca.empty() ? ", TLS" : ", mutual TLS", server.port());
  std::fflush(stdout);
  server.wait();
  fmt::print("Teams server stopped\n");
  return 0;
}
