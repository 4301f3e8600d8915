// idlrpc_bench_server [--port N] [--style sync|coroutine]
//
// Serves the Bench service of shared/bench/SCENARIOS.md (and BenchStats) on
// 127.0.0.1. Port 0 (the default) lets the kernel pick one; once listening,
// the server prints "listening on 127.0.0.1:PORT" on stdout. SIGINT or
// SIGTERM shut it down gracefully and it exits 0.
#include <cstdint>
#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>
#include <idlrpc/server.hpp>

#include "bench_services.hpp"

int main(int argc, char** argv) {
  CLI::App app("The server half of the idlrpc benchmark (bench/README.md).");
  std::uint16_t port = 0;
  std::string style = "sync";
  app.add_option("--port", port, "TCP port on 127.0.0.1; 0 lets the kernel pick")->capture_default_str();
  app.add_option("--style", style, "handler style: sync (worker pool) or coroutine (I/O threads)")
      ->check(CLI::IsMember({"sync", "coroutine"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    idlrpc::Server server;
    server.add_service(style == "sync" ? bench::make_sync_bench_service() : bench::make_coroutine_bench_service());
    server.add_service(bench::make_stats_service());
    const auto bound_port = server.listen("127.0.0.1:" + std::to_string(port));
    std::cout << "listening on 127.0.0.1:" << bound_port << std::endl;
    std::cerr << "idlrpc_bench_server: " << style << " handlers\n";
    server.run_until_signal();
  } catch (const std::exception& e) {
    std::cerr << "idlrpc_bench_server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
