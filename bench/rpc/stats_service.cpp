// BenchStats: lets the client read the server process's resident memory,
// allocation count and CPU time, for the memory and polling-cost figures
// of bench/RESULTS.md.
#include "alloc_counter.hpp"
#include "bench.idl.h"
#include "bench_services.hpp"
#include "measure.hpp"

namespace bench {
namespace {

class StatsService final : public BenchStats::Service {
  ServerStats Stats(idlrpc::ServerContext&, const StatsRequest&) override {
    const auto allocations = allocations_so_far();
    return ServerStats{
        .rss_bytes = resident_bytes(),
        .allocations = allocations.value_or(0),
        .counting_allocations = allocations.has_value(),
        .cpu_microseconds = process_cpu_microseconds(),
    };
  }
};

}  // namespace

std::unique_ptr<idlrpc::Service> make_stats_service() { return std::make_unique<StatsService>(); }

}  // namespace bench
