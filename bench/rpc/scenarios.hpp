// The client side of the benchmark: one function per scenario of
// shared/bench/SCENARIOS.md, plus the memory measurements. Each opens its
// own channels, runs the scenario exactly as specified, checks what came
// back, and returns its figures; any failure throws ScenarioFailure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace bench {

/// Figures of one scenario, in the order they are printed.
using Figures = nlohmann::ordered_json;

/// How unary_latency drives its one call in flight.
enum class SerialCallApi {
  kBlocking,  // client.Echo(req) from the main thread
  kCallback,  // client.async_Echo(req, callback); each completion starts the next call
};

/// How the streaming scenarios drive their call.
enum class StreamApi {
  kBlocking,   // read() / write() from the main thread
  kCoroutine,  // co_await async_read / async_write in a coroutine on the channel's I/O thread
};

struct ScenarioOptions {
  std::string target;                  // "127.0.0.1:PORT"
  SerialCallApi latency_api = SerialCallApi::kCallback;
  StreamApi stream_api = StreamApi::kCoroutine;
  StreamApi upload_api = StreamApi::kCoroutine;
  std::size_t idle_connections = 10000;  // for idle_connections
  // Receive window per stream granted to the server; 0: the runtime's
  // default. For measuring, not for the comparison (peers run on defaults).
  std::uint32_t stream_window_bytes = 0;
  // TLS: the CA that signed the server's certificate (empty: plaintext).
  std::string tls_ca_file;
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

// polling_cost.cpp: not in SCENARIOS.md; what polling before sleep costs.
Figures polling_cost(const ScenarioOptions&);

}  // namespace bench
