// The client side of the benchmark: one function per scenario of
// shared/bench/SCENARIOS.md, plus the memory measurements. Each opens its
// own channels, runs the scenario exactly as specified, checks what came
// back, and returns its figures; any failure throws ScenarioFailure.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// Figures of one scenario, in the order they are printed.
using Figures = nlohmann::ordered_json;

struct ScenarioOptions {
  std::string target;                  // "127.0.0.1:PORT"
  std::size_t idle_connections = 10000;  // for idle_connections
};

// unary_scenarios.cpp
Figures unary_latency(const ScenarioOptions&);
Figures unary_throughput(const ScenarioOptions&);

// stream_scenarios.cpp
Figures stream_small(const ScenarioOptions&);
Figures stream_large(const ScenarioOptions&);
Figures upload_small(const ScenarioOptions&);
Figures chat_pingpong(const ScenarioOptions&);

// memory_scenarios.cpp: not in SCENARIOS.md; the memory targets of issue 7.
Figures idle_connections(const ScenarioOptions&);
Figures unary_allocs(const ScenarioOptions&);

}  // namespace bench
