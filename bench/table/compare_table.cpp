#include "compare_table.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

namespace idlrpc_bench {
namespace {

using Json = nlohmann::ordered_json;

const std::vector<std::string> kScenarioOrder = {"unary_latency", "unary_throughput", "stream_small",
                                                 "stream_large",  "upload_small",     "chat_pingpong"};
const std::vector<std::string> kPeers = {"grpc", "capnp-rpc", "raw-tcp"};
// Over TLS (shared/bench/SCENARIOS.md, "TLS variant"): idlrpc-tls rows are
// compared with these, and with idlrpc's plaintext row of the same style.
const std::vector<std::string> kTlsPeers = {"grpc-tls"};

bool is_mine(const std::string& system) { return system == "idlrpc" || system == "idlrpc-tls"; }

// "idlrpc (sync)" -> "idlrpc-tls (sync)": the same style over TLS.
std::string tls_twin(const std::string& row) {
  const std::string plain = "idlrpc";
  return row.starts_with(plain) ? "idlrpc-tls" + row.substr(plain.size()) : row;
}

// "idlrpc (sync)", "grpc", ...: a row of the tables.
std::string row_name(const Json& line) {
  std::string name = line.value("system", "?");
  if (line.contains("server_style") && line["server_style"].is_string())
    name += " (" + line["server_style"].get<std::string>() + ")";
  return name;
}

bool is_figure(const std::string& key) {
  return key != "system" && key != "scenario" && key != "server_style" && key != "round";
}

std::string format_ratio(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f×", value);
  return text;
}

std::string string_field(const Json& line, const char* key) {
  if (!line.contains(key)) return "";
  const Json& v = line[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// One row of a scenario: its line in each round that has one.
struct Row {
  std::string name;
  std::string system;
  std::map<int, Json> by_round;

  std::optional<double> figure(int round, const std::string& name) const {
    const auto found = by_round.find(round);
    if (found == by_round.end()) return std::nullopt;
    const Json& line = found->second;
    if (!line.contains(name) || !line[name].is_number()) return std::nullopt;
    return line[name].get<double>();
  }

  std::optional<Spread> figure_spread(const std::string& name) const {
    std::vector<double> values;
    for (const auto& [round, line] : by_round)
      if (const auto v = figure(round, name)) values.push_back(*v);
    return spread(std::move(values));
  }
};

// Per round where both rows have the figure (and the peer's is not 0):
// mine / theirs.
std::vector<double> round_ratios(const Row& mine, const Row& theirs, const std::string& figure) {
  std::vector<double> ratios;
  for (const auto& [round, line] : mine.by_round) {
    const auto a = mine.figure(round, figure), b = theirs.figure(round, figure);
    if (a && b && *b != 0) ratios.push_back(*a / *b);
  }
  return ratios;
}

struct Scenario {
  std::vector<std::string> figures;  // union of figure names, first seen first
  std::vector<Row> rows;             // idlrpc first, then the peers (kPeers order), then others

  Row& row(const Json& line) {
    const std::string name = row_name(line);
    for (Row& r : rows)
      if (r.name == name) return r;
    rows.push_back({name, line.value("system", ""), {}});
    return rows.back();
  }
  const Row* find(const std::string& name) const {
    for (const Row& r : rows)
      if (r.name == name) return &r;
    return nullptr;
  }
};

struct RoundMeta {
  std::string loadavg_before, loadavg_after, failed;
};

struct Report {
  std::optional<Json> run;             // the {"meta":"run"} line
  std::map<int, RoundMeta> round_meta;  // {"meta":"round"} lines
  std::set<int> rounds;                 // every round named anywhere
  std::map<std::string, Scenario> scenarios;
  std::vector<std::string> idlrpc_rows;  // first seen first (plaintext; a TLS row is its twin)
  bool has_tls = false;                   // any idlrpc-tls row
};

int round_of(const Json& line, int line_number) {
  if (!line.contains("round")) return 1;
  if (!line["round"].is_number_integer())
    throw TableError("line " + std::to_string(line_number) + ": \"round\" is not an integer");
  return line["round"].get<int>();
}

Report read(std::istream& in) {
  Report report;
  std::string text;
  int line_number = 0;
  while (std::getline(in, text)) {
    ++line_number;
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json line;
    try {
      line = Json::parse(text);
    } catch (const Json::parse_error& e) {
      throw TableError("line " + std::to_string(line_number) + " is not JSON: " + e.what());
    }
    if (!line.is_object()) throw TableError("line " + std::to_string(line_number) + " is not a JSON object");

    if (line.contains("meta")) {
      const std::string kind = string_field(line, "meta");
      if (kind == "run") {
        report.run = line;
        if (line.contains("rounds") && line["rounds"].is_number_integer())
          for (int r = 1; r <= line["rounds"].get<int>(); ++r) report.rounds.insert(r);
      } else if (kind == "round") {
        const int round = round_of(line, line_number);
        report.rounds.insert(round);
        std::string failed;
        if (line.contains("failed") && line["failed"].is_array())
          for (const auto& f : line["failed"]) failed += (failed.empty() ? "" : ", ") + f.get<std::string>();
        report.round_meta[round] = {string_field(line, "loadavg_before"), string_field(line, "loadavg_after"),
                                    failed};
      }  // other meta lines are for people reading the file
      continue;
    }

    if (!line.contains("scenario") || !line.contains("system") || !line["scenario"].is_string() ||
        !line["system"].is_string())
      throw TableError("line " + std::to_string(line_number) + " lacks \"system\" or \"scenario\"");
    const int round = round_of(line, line_number);
    report.rounds.insert(round);
    Scenario& s = report.scenarios[line["scenario"].get<std::string>()];
    for (const auto& [key, value] : line.items())
      if (is_figure(key) && std::find(s.figures.begin(), s.figures.end(), key) == s.figures.end())
        s.figures.push_back(key);
    Row& row = s.row(line);
    if (row.by_round.contains(round))
      throw TableError("line " + std::to_string(line_number) + ": a second " + row.name + " " +
                       line["scenario"].get<std::string>() + " in round " + std::to_string(round));
    row.by_round.emplace(round, line);
    if (row.system == "idlrpc" &&
        std::find(report.idlrpc_rows.begin(), report.idlrpc_rows.end(), row.name) == report.idlrpc_rows.end())
      report.idlrpc_rows.push_back(row.name);
    if (row.system == "idlrpc-tls") report.has_tls = true;
  }

  // idlrpc first, then the peers in a fixed order, then the same over TLS,
  // whatever order the lines came in.
  const auto rank = [](const Row& row) {
    if (row.system == "idlrpc") return 0;
    if (row.system == "idlrpc-tls") return 10;
    if (const auto tls = std::find(kTlsPeers.begin(), kTlsPeers.end(), row.system); tls != kTlsPeers.end())
      return 11 + static_cast<int>(tls - kTlsPeers.begin());
    return 1 + static_cast<int>(std::find(kPeers.begin(), kPeers.end(), row.system) - kPeers.begin());
  };
  for (auto& [name, s] : report.scenarios)
    std::stable_sort(s.rows.begin(), s.rows.end(), [&](const Row& a, const Row& b) { return rank(a) < rank(b); });
  return report;
}

std::string rounds_cell(std::size_t have, std::size_t of) {
  return have == of ? std::to_string(have) : std::to_string(have) + " of " + std::to_string(of);
}

void print_header(std::ostream& out, const Report& report) {
  if (!report.run && report.round_meta.empty()) return;
  if (report.run) {
    const Json& run = *report.run;
    out << "Measured " << string_field(run, "date") << " on " << string_field(run, "cores") << " cores, Linux "
        << string_field(run, "kernel") << ", commit " << string_field(run, "commit") << ".";
    if (run.contains("loadavg")) out << " Load average (1, 5, 15 min) at the start: " << string_field(run, "loadavg") << '.';
    out << "\n\n";
  }
  out << report.rounds.size() << (report.rounds.size() == 1 ? " round" : " rounds")
      << "; in each, every system ran once, one after the other. Figures: median (min–max) over the rounds. "
         "Ratios: taken per round from that round's runs, then median (min–max).\n\n";
  out << "| round | load average before | load average after | failed |\n|---:|---|---|---|\n";
  for (int round : report.rounds) {
    const auto found = report.round_meta.find(round);
    const RoundMeta meta = found == report.round_meta.end() ? RoundMeta{} : found->second;
    out << "| " << round << " | " << meta.loadavg_before << " | " << meta.loadavg_after << " | " << meta.failed
        << " |\n";
  }
  out << '\n';
}

void print_scenario(std::ostream& out, const std::string& name, const Scenario& s, std::size_t rounds) {
  out << "### " << name << "\n\n| system |";
  for (const auto& f : s.figures) out << ' ' << f << " |";
  out << " rounds |\n|---|";
  for (std::size_t i = 0; i < s.figures.size(); ++i) out << "---:|";
  out << "---:|\n";
  for (const Row& row : s.rows) {
    out << "| " << row.name << " |";
    for (const auto& f : s.figures) {
      const auto sp = row.figure_spread(f);
      out << ' ' << (sp ? format_spread(*sp) : "") << " |";
    }
    out << ' ' << rounds_cell(row.by_round.size(), rounds) << " |\n";
  }
  // Ratios, paired by round: each idlrpc row against each peer present
  // (plaintext with plaintext, TLS with TLS), and each TLS row against the
  // plaintext row of its style (what TLS costs).
  for (const Row& mine : s.rows) {
    if (!is_mine(mine.system)) continue;
    std::vector<std::string> others = mine.system == "idlrpc" ? kPeers : kTlsPeers;
    if (mine.system == "idlrpc-tls") {
      for (const Row& plain : s.rows)
        if (plain.system == "idlrpc" && tls_twin(plain.name) == mine.name) others.push_back(plain.name);
    }
    for (const auto& peer : others) {
      const Row* theirs = s.find(peer);
      if (!theirs) continue;
      out << "| " << mine.name << " ÷ " << peer << " |";
      std::size_t paired = 0;
      for (const auto& [round, line] : mine.by_round) paired += theirs->by_round.contains(round) ? 1 : 0;
      for (const auto& f : s.figures) {
        const auto sp = spread(round_ratios(mine, *theirs, f));
        out << ' ' << (sp ? format_ratio_spread(*sp) : "") << " |";
      }
      out << ' ' << rounds_cell(paired, rounds) << " |\n";
    }
  }
  out << '\n';
}

struct Target {
  std::string scenario, figure, peer;
  double bound;
  bool at_least;  // ratio >= bound, else ratio <= bound
  std::string text;
  // Judged on the style's TLS row; the peer kPlaintext means that style's
  // plaintext row.
  bool tls = false;
  // Only for this handler style ("sync", "coroutine"); empty: every style.
  std::string style{};
  // The peer's figure from this scenario instead (chat_pingpong against
  // raw TCP's round trip, which has no chat of its own).
  std::string peer_scenario{};
};

const std::string kPlaintext = "(plaintext)";

// Issue 16's "done when", and issue 12's TLS targets.
const std::vector<Target> kTargets = {
    {"unary_throughput", "calls_per_s", "grpc", 2.0, true, "blocking unary_throughput ≥ 2× gRPC", false, "sync"},
    {"unary_throughput", "calls_per_s", "idlrpc (coroutine)", 0.7, true,
     "blocking unary_throughput ≥ 0.7× the coroutine style", false, "sync"},
    {"unary_throughput", "calls_per_s", "grpc", 4.0, true, "coroutine unary_throughput ≥ 4× gRPC", false, "coroutine"},
    {"stream_large", "mib_per_s", "capnp-rpc", 1.2, true, "stream_large MiB/s ≥ 1.2× Cap'n Proto RPC"},
    {"upload_small", "msgs_per_s", "grpc", 6.0, true, "upload_small msgs/s ≥ 6× gRPC"},
    {"stream_small", "msgs_per_s", "grpc", 6.0, true, "stream_small msgs/s ≥ 6× gRPC"},
    {"unary_latency", "p50_us", "raw-tcp", 1.15, false, "unary_latency p50 ≤ 1.15× raw TCP"},
    {"chat_pingpong", "p50_us", "raw-tcp", 1.15, false, "chat_pingpong p50 ≤ 1.15× raw TCP's unary round trip", false,
     "", "unary_latency"},
    // Issue 12.
    {"unary_throughput", "calls_per_s", kPlaintext, 0.85, true, "TLS: unary_throughput ≥ 0.85× plaintext (TLS costs ≤ 15 %)", true},
    {"unary_throughput", "calls_per_s", "grpc-tls", 2.0, true, "TLS: unary_throughput ≥ 2× gRPC over TLS", true},
};

// "idlrpc (sync)" and "idlrpc-tls (sync)" are of style "sync".
bool of_style(const std::string& row, const std::string& style) {
  return style.empty() || row.ends_with("(" + style + ")");
}

void print_targets(std::ostream& out, const Report& report) {
  out << "### Targets (issues 16 and 12)\n\nMedian of the per-round ratios (min–max); met or not judged on the median.\n\n"
      << "| target |";
  for (const auto& row : report.idlrpc_rows) out << ' ' << row << " |";
  out << "\n|---|";
  for (std::size_t i = 0; i < report.idlrpc_rows.size(); ++i) out << "---|";
  out << '\n';
  for (const auto& t : kTargets) {
    const auto found = report.scenarios.find(t.scenario);
    const auto peer_found = report.scenarios.find(t.peer_scenario.empty() ? t.scenario : t.peer_scenario);
    if (t.tls && !report.has_tls) continue;
    out << "| " << t.text << " |";
    for (const auto& name : report.idlrpc_rows) {
      if (!of_style(name, t.style)) {
        out << " — |";
        continue;
      }
      const std::string mine_name = t.tls ? tls_twin(name) : name;
      const std::string peer_name = t.peer == kPlaintext ? name : t.peer;
      const Row* mine = found == report.scenarios.end() ? nullptr : found->second.find(mine_name);
      const Row* theirs = peer_found == report.scenarios.end() ? nullptr : peer_found->second.find(peer_name);
      const std::vector<double> ratios = mine && theirs ? round_ratios(*mine, *theirs, t.figure) : std::vector<double>{};
      const auto sp = spread(ratios);
      if (!sp) {
        out << " not measured |";
        continue;
      }
      const auto meets = [&](double ratio) { return t.at_least ? ratio >= t.bound : ratio <= t.bound; };
      const bool met = meets(sp->median);
      const auto rounds_met = std::count_if(ratios.begin(), ratios.end(), meets);
      out << ' ' << format_ratio_spread(*sp) << (met ? " met" : " **not met**");
      if (rounds_met != 0 && static_cast<std::size_t>(rounds_met) != ratios.size())
        out << " (met in " << rounds_met << " of " << ratios.size() << " rounds)";
      out << " |";
    }
    out << '\n';
  }
  out << '\n';
}

}  // namespace

std::optional<Spread> spread(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return Spread{median, values.front(), values.back(), n};
}

std::string format_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value >= 1000 || value == static_cast<long long>(value) ? "%.0f" : "%.1f", value);
  return text;
}

std::string format_spread(const Spread& s) {
  if (s.count == 1) return format_number(s.median);
  // One precision for all three: whole numbers when they are large or all
  // whole, else one decimal ("42.6 (41.0–44.3)", not "42.6 (41–44.3)").
  const auto whole = [](double v) { return v == static_cast<long long>(v); };
  const char* format = s.max >= 1000 || (whole(s.median) && whole(s.min) && whole(s.max)) ? "%.0f (%.0f–%.0f)"
                                                                                          : "%.1f (%.1f–%.1f)";
  char text[96];
  std::snprintf(text, sizeof text, format, s.median, s.min, s.max);
  return text;
}

std::string format_ratio_spread(const Spread& s) {
  char range[64];
  std::snprintf(range, sizeof range, " (%.2f–%.2f)", s.min, s.max);
  return format_ratio(s.median) + (s.count == 1 ? "" : range);
}

std::string markdown_report(std::istream& in) {
  const Report report = read(in);
  std::ostringstream out;
  print_header(out, report);
  print_targets(out, report);
  for (const auto& name : kScenarioOrder)
    if (report.scenarios.contains(name)) print_scenario(out, name, report.scenarios.at(name), report.rounds.size());
  for (const auto& [name, s] : report.scenarios)
    if (std::find(kScenarioOrder.begin(), kScenarioOrder.end(), name) == kScenarioOrder.end())
      print_scenario(out, name, s, report.rounds.size());
  return out.str();
}

}  // namespace idlrpc_bench
