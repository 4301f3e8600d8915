// polling_cost: what polling before sleep (ServerOptions::poll_before_sleep,
// idlrpc::set_client_poll_before_sleep) costs in CPU and gives in latency,
// on both sides of one connection: idle, with one call every millisecond,
// and with calls back to back. Not in SCENARIOS.md; run it once with each
// side's --poll-before-sleep-us (bench/README.md, "Polling before sleep").
// The server's CPU time is read with BenchStats.Stats, whose own calls
// fall inside the measured windows (a few of them against thousands).
#include <chrono>
#include <thread>

#include "connect.hpp"
#include "measure.hpp"
#include "payload.hpp"
#include "scenarios.hpp"

namespace bench {
namespace {

struct CpuMark {
  std::uint64_t client_us;
  std::uint64_t server_us;
};

CpuMark mark(BenchStats::Client& stats) {
  return {process_cpu_microseconds(), stats.Stats(StatsRequest{}).cpu_microseconds};
}

}  // namespace

Figures polling_cost(const ScenarioOptions& options) {
  constexpr int kSparseCalls = 2000, kBusyCalls = 20000;
  constexpr auto kIdle = std::chrono::seconds(2);
  constexpr auto kGap = std::chrono::milliseconds(1);
  Bench::Client client = connected_client(options);
  BenchStats::Client stats{client.channel()};
  const Payload request = make_payload(kSmallPayload, 'q');
  for (int i = 0; i < 1000; ++i) check_echo(request, client.Echo(request));

  // Idle: the connection open, nothing sent.
  const CpuMark idle_start = mark(stats);
  std::this_thread::sleep_for(kIdle);
  const CpuMark idle_end = mark(stats);

  // Sparse: a call every millisecond, each on its own schedule (a late
  // call does not make the next ones closer together).
  Samples sparse;
  sparse.reserve(kSparseCalls);
  const CpuMark sparse_start = mark(stats);
  auto next = Clock::now();
  for (int i = 0; i < kSparseCalls; ++i) {
    next += kGap;
    std::this_thread::sleep_until(next);
    const auto start = Clock::now();
    const Payload reply = client.Echo(request);
    sparse.add(Clock::now() - start);
    check_echo(request, reply);
  }
  const CpuMark sparse_end = mark(stats);

  // Busy: blocking calls back to back.
  Samples busy;
  busy.reserve(kBusyCalls);
  const CpuMark busy_start = mark(stats);
  for (int i = 0; i < kBusyCalls; ++i) {
    const auto start = Clock::now();
    const Payload reply = client.Echo(request);
    busy.add(Clock::now() - start);
    check_echo(request, reply);
  }
  const CpuMark busy_end = mark(stats);

  const double idle_seconds = std::chrono::duration<double>(kIdle).count();
  const auto per_second = [&](std::uint64_t from, std::uint64_t to) {
    return round_to_tenths(static_cast<double>(to - from) / 1000.0 / idle_seconds);  // ms of CPU a second
  };
  const auto per_call = [](std::uint64_t from, std::uint64_t to, int calls) {
    return round_to_tenths(static_cast<double>(to - from) / calls);  // µs of CPU a call
  };
  return {{"idle_server_cpu_ms_per_s", per_second(idle_start.server_us, idle_end.server_us)},
          {"idle_client_cpu_ms_per_s", per_second(idle_start.client_us, idle_end.client_us)},
          {"sparse_p50_us", round_to_tenths(sparse.percentile(50))},
          {"sparse_server_cpu_us_per_call", per_call(sparse_start.server_us, sparse_end.server_us, kSparseCalls)},
          {"sparse_client_cpu_us_per_call", per_call(sparse_start.client_us, sparse_end.client_us, kSparseCalls)},
          {"busy_p50_us", round_to_tenths(busy.percentile(50))},
          {"busy_server_cpu_us_per_call", per_call(busy_start.server_us, busy_end.server_us, kBusyCalls)},
          {"busy_client_cpu_us_per_call", per_call(busy_start.client_us, busy_end.client_us, kBusyCalls)}};
}

}  // namespace bench
