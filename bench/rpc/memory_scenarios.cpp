// The memory figures of issue 7, measured across the process boundary with
// the BenchStats service: the server's resident memory while it holds many
// idle connections, and heap allocations per unary call on each side.
#include <thread>
#include <vector>

#include "alloc_counter.hpp"
#include "connect.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "scenarios.hpp"

namespace bench {
namespace {

constexpr double kMiB = 1024.0 * 1024.0;

ServerStats server_stats(BenchStats::Client& stats) {
  try {
    return stats.Stats(StatsRequest{});
  } catch (const std::exception& e) {
    throw ScenarioFailure(std::string("BenchStats.Stats failed: ") + e.what());
  }
}

}  // namespace

// Opens `options.idle_connections` channels, each its own connection that
// made one Echo call (so the server accepted it and finished the handshake),
// leaves them idle, and reads the server's resident memory.
Figures idle_connections(const ScenarioOptions& options) {
  const std::uint16_t port = port_of(options.target);
  BenchStats::Client stats{idlrpc::Channel(options.target)};
  const ServerStats before = server_stats(stats);
  const ConnectionSet connections_before = established_connections_to(port);

  std::vector<Bench::Client> idle;
  idle.reserve(options.idle_connections);
  for (std::size_t i = 0; i < options.idle_connections; ++i) idle.push_back(connected_client(options.target));
  const std::size_t opened = opened_between(connections_before, established_connections_to(port));
  if (opened != options.idle_connections)
    throw ScenarioFailure(std::to_string(options.idle_connections) + " channels hold " + std::to_string(opened) +
                          " TCP connections");

  std::this_thread::sleep_for(std::chrono::seconds(1));  // let the server settle (idle timers, buffers)
  const ServerStats after = server_stats(stats);
  const auto grown = static_cast<double>(after.rss_bytes) - static_cast<double>(before.rss_bytes);
  return {{"connections", opened},
          {"server_rss_mib", round_to_tenths(static_cast<double>(after.rss_bytes) / kMiB)},
          {"server_rss_before_mib", round_to_tenths(static_cast<double>(before.rss_bytes) / kMiB)},
          {"server_kib_per_connection", round_to_tenths(grown / 1024.0 / static_cast<double>(opened))},
          {"client_rss_mib", round_to_tenths(static_cast<double>(resident_bytes()) / kMiB)}};
}

// Heap allocations per blocking unary Echo of 16 bytes, on the client (this
// process) and on the server, after a warm-up. Needs the *_counted builds of
// both binaries. The server's count is read with a Stats call before and
// after; the cost of one Stats call is measured and taken off.
Figures unary_allocs(const ScenarioOptions& options) {
  constexpr int kWarmup = 1000, kCalls = 10000;
  if (!allocations_so_far())
    throw ScenarioFailure("this client counts no allocations: run idlrpc_bench_client_counted");
  Bench::Client client = connected_client(options.target);
  BenchStats::Client stats{client.channel()};
  const Payload request = make_payload(kSmallPayload, 'a');
  for (int i = 0; i < kWarmup; ++i) check_echo(request, client.Echo(request));

  const ServerStats s0 = server_stats(stats);
  if (!s0.counting_allocations)
    throw ScenarioFailure("the server counts no allocations: run idlrpc_bench_server_counted");
  const ServerStats s1 = server_stats(stats);
  const std::uint64_t per_stats_call = s1.allocations - s0.allocations;

  const std::uint64_t client_before = *allocations_so_far();
  for (int i = 0; i < kCalls; ++i) check_echo(request, client.Echo(request));
  const std::uint64_t client_after = *allocations_so_far();
  const ServerStats s2 = server_stats(stats);

  const auto server_allocations = static_cast<double>(s2.allocations - s1.allocations - per_stats_call);
  return {{"calls", kCalls},
          {"client_allocs_per_call", round_to_tenths(static_cast<double>(client_after - client_before) / kCalls)},
          {"server_allocs_per_call", round_to_tenths(server_allocations / kCalls)}};
}

}  // namespace bench
