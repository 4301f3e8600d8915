// idlrpc_bench_table [--headline-style S] < lines.jsonl
//
// Reads the JSON lines of bench/run and the peers' run.sh (one object per
// scenario and system) and prints Markdown for bench/RESULTS.md: one table
// per scenario with every system's figures and the ratios of idlrpc to
// gRPC, to Cap'n Proto RPC and (for latency) to raw TCP, then the targets of
// issue 7 with the measured ratio and whether each is met.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::ordered_json;

const std::vector<std::string> kScenarioOrder = {"unary_latency", "unary_throughput", "stream_small",
                                                 "stream_large",  "upload_small",     "chat_pingpong"};
const std::vector<std::string> kPeers = {"grpc", "capnp-rpc", "raw-tcp"};

// "idlrpc (sync)", "grpc", ...: a row of the tables.
std::string row_name(const Json& line) {
  std::string name = line.value("system", "?");
  if (line.contains("server_style")) name += " (" + line["server_style"].get<std::string>() + ")";
  return name;
}

bool is_figure(const std::string& key) { return key != "system" && key != "scenario" && key != "server_style"; }

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value >= 1000 || value == static_cast<long long>(value) ? "%.0f" : "%.1f", value);
  return text;
}

std::string format_ratio(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f×", value);
  return text;
}

// Every line of one scenario, keyed by row name, in the order read.
struct ScenarioLines {
  std::vector<std::string> figures;  // union of figure names, first seen first
  std::vector<std::pair<std::string, Json>> rows;

  const Json* row(const std::string& name) const {
    for (const auto& [n, line] : rows)
      if (n == name) return &line;
    return nullptr;
  }
};

std::optional<double> figure(const ScenarioLines& s, const std::string& row, const std::string& name) {
  const Json* line = s.row(row);
  if (!line || !line->contains(name) || !(*line)[name].is_number()) return std::nullopt;
  return (*line)[name].get<double>();
}

void print_scenario(const std::string& scenario, const ScenarioLines& s) {
  std::cout << "### " << scenario << "\n\n| system |";
  for (const auto& f : s.figures) std::cout << ' ' << f << " |";
  std::cout << "\n|---|";
  for (std::size_t i = 0; i < s.figures.size(); ++i) std::cout << "---:|";
  std::cout << '\n';
  for (const auto& [name, line] : s.rows) {
    std::cout << "| " << name << " |";
    for (const auto& f : s.figures)
      std::cout << ' ' << (line.contains(f) && line[f].is_number() ? format_number(line[f].get<double>()) : "") << " |";
    std::cout << '\n';
  }
  // Ratios: each idlrpc row against each peer present.
  for (const auto& [name, line] : s.rows) {
    if (line.value("system", "") != "idlrpc") continue;
    for (const auto& peer : kPeers) {
      if (!s.row(peer)) continue;
      std::cout << "| " << name << " ÷ " << peer << " |";
      for (const auto& f : s.figures) {
        const auto mine = figure(s, name, f), theirs = figure(s, peer, f);
        std::cout << ' ' << (mine && theirs && *theirs != 0 ? format_ratio(*mine / *theirs) : "") << " |";
      }
      std::cout << '\n';
    }
  }
  std::cout << '\n';
}

struct Target {
  std::string scenario, figure, peer;
  double bound;
  bool at_least;  // ratio >= bound, else ratio <= bound
  std::string text;
};

const std::vector<Target> kTargets = {
    {"unary_throughput", "calls_per_s", "grpc", 2.0, true, "unary_throughput calls/s ≥ 2× gRPC"},
    {"unary_throughput", "calls_per_s", "capnp-rpc", 1.0, true, "unary_throughput calls/s ≥ Cap'n Proto RPC"},
    {"unary_latency", "p50_us", "grpc", 0.5, false, "unary_latency p50 ≤ ½ gRPC"},
    {"unary_latency", "p50_us", "raw-tcp", 2.0, false, "unary_latency p50 ≤ 2× raw TCP"},
    {"stream_small", "msgs_per_s", "grpc", 5.0, true, "stream_small msgs/s ≥ 5× gRPC"},
    {"upload_small", "msgs_per_s", "grpc", 5.0, true, "upload_small msgs/s ≥ 5× gRPC"},
    {"stream_large", "mib_per_s", "grpc", 1.0, true, "stream_large MiB/s ≥ gRPC"},
    {"chat_pingpong", "p50_us", "grpc", 0.5, false, "chat_pingpong p50 ≤ ½ gRPC"},
};

void print_targets(const std::map<std::string, ScenarioLines>& scenarios, const std::vector<std::string>& idlrpc_rows) {
  std::cout << "### Targets (issue 7)\n\n| target |";
  for (const auto& row : idlrpc_rows) std::cout << ' ' << row << " |";
  std::cout << "\n|---|";
  for (std::size_t i = 0; i < idlrpc_rows.size(); ++i) std::cout << "---|";
  std::cout << '\n';
  for (const auto& t : kTargets) {
    const auto found = scenarios.find(t.scenario);
    std::cout << "| " << t.text << " |";
    for (const auto& row : idlrpc_rows) {
      std::optional<double> mine, theirs;
      if (found != scenarios.end()) {
        mine = figure(found->second, row, t.figure);
        theirs = figure(found->second, t.peer, t.figure);
      }
      if (!mine || !theirs || *theirs == 0) {
        std::cout << " not measured |";
        continue;
      }
      const double ratio = *mine / *theirs;
      const bool met = t.at_least ? ratio >= t.bound : ratio <= t.bound;
      std::cout << ' ' << format_ratio(ratio) << (met ? " met" : " **not met**") << " |";
    }
    std::cout << '\n';
  }
  std::cout << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Markdown tables from benchmark JSON lines on stdin.");
  CLI11_PARSE(app, argc, argv);

  std::map<std::string, ScenarioLines> scenarios;
  std::vector<std::string> idlrpc_rows;
  std::string text;
  int line_number = 0;
  while (std::getline(std::cin, text)) {
    ++line_number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json line;
    try {
      line = Json::parse(text);
    } catch (const Json::parse_error& e) {
      std::cerr << "idlrpc_bench_table: line " << line_number << " is not JSON: " << e.what() << '\n';
      return 1;
    }
    if (!line.is_object() || !line.contains("scenario") || !line.contains("system")) {
      std::cerr << "idlrpc_bench_table: line " << line_number << " lacks \"system\" or \"scenario\"\n";
      return 1;
    }
    auto& s = scenarios[line["scenario"].get<std::string>()];
    for (const auto& [key, value] : line.items())
      if (is_figure(key) && std::find(s.figures.begin(), s.figures.end(), key) == s.figures.end())
        s.figures.push_back(key);
    const std::string name = row_name(line);
    if (line["system"] == "idlrpc" && std::find(idlrpc_rows.begin(), idlrpc_rows.end(), name) == idlrpc_rows.end())
      idlrpc_rows.push_back(name);
    s.rows.emplace_back(name, line);
  }

  // idlrpc first, then the peers in a fixed order, whatever order the lines came in.
  const auto rank = [](const std::pair<std::string, Json>& row) {
    const std::string system = row.second.value("system", "");
    const auto peer = std::find(kPeers.begin(), kPeers.end(), system);
    return system == "idlrpc" ? 0 : 1 + static_cast<int>(peer - kPeers.begin());
  };
  for (auto& [name, lines] : scenarios)
    std::stable_sort(lines.rows.begin(), lines.rows.end(), [&](const auto& a, const auto& b) { return rank(a) < rank(b); });

  print_targets(scenarios, idlrpc_rows);
  for (const auto& name : kScenarioOrder)
    if (scenarios.contains(name)) print_scenario(name, scenarios.at(name));
  for (const auto& [name, lines] : scenarios)
    if (std::find(kScenarioOrder.begin(), kScenarioOrder.end(), name) == kScenarioOrder.end())
      print_scenario(name, lines);
  return 0;
}
