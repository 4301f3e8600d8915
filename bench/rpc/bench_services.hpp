// The server side of the benchmark: the Bench service in both handler
// styles, and BenchStats, which reports on the server process itself.
#pragma once

#include <memory>

#include <idlrpc/service.hpp>

namespace bench {

/// Bench with blocking handlers, run on the server's worker pool.
std::unique_ptr<idlrpc::Service> make_sync_bench_service();

/// Bench with coroutine handlers, run on the server's I/O threads.
std::unique_ptr<idlrpc::Service> make_coroutine_bench_service();

/// BenchStats: resident memory and heap allocations of this process.
std::unique_ptr<idlrpc::Service> make_stats_service();

}  // namespace bench
