// idlrpc_bench_client --target HOST:PORT [--style-label X] [SCENARIO...]
//
// Runs the scenarios of shared/bench/SCENARIOS.md (all six when none is
// named, in the spec's order) against idlrpc_bench_server and prints one
// JSON object per scenario on stdout. Two more scenarios, idle_connections
// and unary_allocs, measure memory (bench/README.md). Exits non-zero if any
// scenario failed; the reason goes to stderr.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <idlrpc/channel.hpp>

#include "measure.hpp"
#include "scenarios.hpp"

namespace {

struct Scenario {
  const char* name;
  bench::Figures (*run)(const bench::ScenarioOptions&);
  bool in_spec;  // run when no scenario is named
};

constexpr Scenario kScenarios[] = {
    {"unary_latency", bench::unary_latency, true},       {"unary_throughput", bench::unary_throughput, true},
    {"stream_small", bench::stream_small, true},         {"stream_large", bench::stream_large, true},
    {"upload_small", bench::upload_small, true},         {"chat_pingpong", bench::chat_pingpong, true},
    {"idle_connections", bench::idle_connections, false}, {"unary_allocs", bench::unary_allocs, false},
    {"polling_cost", bench::polling_cost, false},
};

const Scenario* find_scenario(const std::string& name) {
  for (const Scenario& s : kScenarios)
    if (name == s.name) return &s;
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("The client half of the idlrpc benchmark (bench/README.md).");
  bench::ScenarioOptions options;
  std::string style_label = "unknown";
  std::vector<std::string> names;
  app.add_option("--target", options.target, "the server, HOST:PORT")->required();
  app.add_option("--style-label", style_label, "the server's handler style, copied into each line as server_style")
      ->capture_default_str();
  app.add_option("--latency-api", options.latency_api, "how unary_latency calls: blocking or callback")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, bench::SerialCallApi>{{"blocking", bench::SerialCallApi::kBlocking},
                                                      {"callback", bench::SerialCallApi::kCallback}},
          CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--stream-api", options.stream_api, "how the stream scenarios read and write: blocking or coroutine")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bench::StreamApi>{{"blocking", bench::StreamApi::kBlocking},
                                                                                  {"coroutine", bench::StreamApi::kCoroutine}},
                                          CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--upload-api", options.upload_api, "how upload_small writes: blocking or coroutine")
      ->transform(CLI::CheckedTransformer(std::map<std::string, bench::StreamApi>{{"blocking", bench::StreamApi::kBlocking},
                                                                                  {"coroutine", bench::StreamApi::kCoroutine}},
                                          CLI::ignore_case))
      ->capture_default_str();
  app.add_option("--connections", options.idle_connections, "how many connections idle_connections opens")
      ->capture_default_str();
  app.add_option("--stream-window-bytes", options.stream_window_bytes,
                 "per-stream receive window of the channels (0: runtime default); comparisons use the default");
  app.add_option("--tls-ca", options.tls_ca_file,
                 "connect with TLS, trusting this CA (the lines then say \"system\":\"idlrpc-tls\")");
  std::string system_label;
  app.add_option("--system-label", system_label,
                 "the lines' \"system\" (default: idlrpc, or idlrpc-tls with --tls-ca)");
  std::int64_t poll_us = -1;
  app.add_option("--poll-before-sleep-us", poll_us,
                 "idlrpc::set_client_poll_before_sleep, in microseconds (default: the runtime's)");
  app.add_option("scenarios", names, "scenarios to run (default: the six of SCENARIOS.md)");
  CLI11_PARSE(app, argc, argv);
  if (poll_us >= 0) idlrpc::set_client_poll_before_sleep(std::chrono::microseconds(poll_us));

  std::vector<const Scenario*> chosen;
  for (const Scenario& s : kScenarios)
    if (names.empty() && s.in_spec) chosen.push_back(&s);
  for (const std::string& name : names) {
    const Scenario* scenario = find_scenario(name);
    if (!scenario) {
      std::cerr << "idlrpc_bench_client: unknown scenario '" << name << "'; known:";
      for (const Scenario& s : kScenarios) std::cerr << ' ' << s.name;
      std::cerr << '\n';
      return 2;
    }
    chosen.push_back(scenario);
  }

  int failed = 0;
  for (const Scenario* scenario : chosen) {
    try {
      bench::Figures line = {{"system", !system_label.empty()           ? system_label
                                        : options.tls_ca_file.empty() ? "idlrpc"
                                                                      : "idlrpc-tls"},
                             {"scenario", scenario->name},
                             {"server_style", style_label}};
      line.update(scenario->run(options));
      std::cout << line.dump() << std::endl;
    } catch (const std::exception& e) {
      std::cerr << "idlrpc_bench_client: " << scenario->name << " failed: " << e.what() << '\n';
      ++failed;
    }
  }
  return failed == 0 ? 0 : 1;
}
