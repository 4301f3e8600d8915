// idlrpc_bench_server [--port N] [--style sync|coroutine]
//
// Serves the Bench service of shared/bench/SCENARIOS.md (and BenchStats) on
// 127.0.0.1. Port 0 (the default) lets the kernel pick one; once listening,
// the server prints "listening on 127.0.0.1:PORT" on stdout. SIGINT or
// SIGTERM shut it down gracefully and it exits 0.
#include <cstdint>
#include <memory>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>
#include <idlrpc/metrics.hpp>
#include <idlrpc/server.hpp>

#include "bench_services.hpp"

int main(int argc, char** argv) {
  CLI::App app("The server half of the idlrpc benchmark (bench/README.md).");
  std::uint16_t port = 0;
  std::string style = "sync";
  // Above the runtime's default of 10,000: idle_connections opens that many
  // plus the one it reads the server's figures on.
  std::uint32_t max_connections = 20000;
  app.add_option("--port", port, "TCP port on 127.0.0.1; 0 lets the kernel pick")->capture_default_str();
  app.add_option("--style", style, "handler style: sync (worker pool) or coroutine (I/O threads)")
      ->check(CLI::IsMember({"sync", "coroutine"}))
      ->capture_default_str();
  app.add_option("--max-connections", max_connections, "connections the server accepts at once")
      ->capture_default_str();
  std::uint32_t stream_window_bytes = 0;
  app.add_option("--stream-window-bytes", stream_window_bytes,
                 "per-stream receive window (0: runtime default); comparisons use the default");
  unsigned worker_threads = 0;
  app.add_option("--worker-threads", worker_threads,
                 "threads of the sync style's worker pool (0: runtime default); comparisons use the default");
  unsigned io_threads = 0;
  app.add_option("--io-threads", io_threads, "I/O threads (0: runtime default, one per core)");
  std::string tls_cert, tls_key;
  auto* cert_option = app.add_option("--tls-cert", tls_cert, "serve TLS with this certificate chain (PEM)");
  app.add_option("--tls-key", tls_key, "the certificate's private key (PEM)")->needs(cert_option);
  bool metrics = false;
  app.add_flag("--metrics", metrics, "record every call in idlrpc::Metrics (what that costs: bench/run --metrics)");
  std::int64_t poll_us = -1;
  app.add_option("--poll-before-sleep-us", poll_us,
                 "ServerOptions::poll_before_sleep, in microseconds (default: the runtime's)");
  CLI11_PARSE(app, argc, argv);

  try {
    const auto bench_service =
        style == "sync" ? bench::make_sync_bench_service() : bench::make_coroutine_bench_service();
    const auto stats_service = bench::make_stats_service();
    idlrpc::ServerOptions server_options{.listen = {"127.0.0.1:" + std::to_string(port)},
                                         .max_connections = max_connections};
    if (stream_window_bytes != 0) server_options.stream_window_bytes = stream_window_bytes;
    server_options.worker_threads = worker_threads;
    server_options.io_threads = io_threads;
    if (poll_us >= 0) server_options.poll_before_sleep = std::chrono::microseconds(poll_us);
    if (metrics) server_options.metrics = std::make_shared<idlrpc::Metrics>();
    if (!tls_cert.empty()) {
      server_options.tls =
          idlrpc::ServerTlsOptions{.identities = {{.cert_chain_file = tls_cert, .private_key_file = tls_key}}};
    }
    idlrpc::Server server(server_options);
    server.add_service(*bench_service);
    server.add_service(*stats_service);
    server.start();
    server.shutdown_on_signals();
    std::cout << "listening on 127.0.0.1:" << server.port() << std::endl;
    std::cerr << "idlrpc_bench_server: " << style << " handlers\n";
    server.wait();
  } catch (const std::exception& e) {
    std::cerr << "idlrpc_bench_server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
