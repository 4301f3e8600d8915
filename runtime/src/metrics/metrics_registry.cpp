#include "metrics/metrics_registry.hpp"

#include <fmt/format.h>

#include <mutex>

namespace idlrpc::detail {

namespace {

// gRFC A66's boundaries, so dashboards made for gRPC read the same.
constexpr std::array<double, 41> kSecondsBounds = {
    0,     0.00001, 0.00005, 0.0001, 0.0003, 0.0006, 0.0008, 0.001, 0.002, 0.003, 0.004,
    0.005, 0.006,   0.008,   0.01,   0.013,  0.016,  0.02,   0.025, 0.03,  0.04,  0.05,
    0.065, 0.08,    0.1,     0.13,   0.16,   0.2,    0.25,   0.3,   0.4,   0.5,   0.65,
    0.8,   1,       2,       5,      10,     20,     50,     100};
constexpr std::array<double, 14> kBytesBounds = {
    0,        1024,      2048,      4096,       16384,      65536,      262144,
    1048576., 4194304.,  16777216., 67108864.,  268435456., 1073741824., 4294967296.};

// Prometheus label values escape backslash, double quote and newline.
void append_label(std::string& out, std::string_view name, std::string_view value) {
  if (!out.empty()) out += ',';
  out += name;
  out += "=\"";
  for (char c : value) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  out += '"';
}

// The method as A66 labels it: "package.Service/Method", without the path's
// leading slash.
std::string_view method_label(std::string_view path) { return path.starts_with('/') ? path.substr(1) : path; }

}  // namespace

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {}

void Histogram::observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;  // Prometheus buckets are `le`
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::write(std::string& out, std::string_view name, std::string_view labels) const {
  const std::string_view comma = labels.empty() ? "" : ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < bounds_.size()) {
      fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"{}\"}} {}\n", name, labels, comma, bounds_[i],
                     cumulative);
    } else {
      fmt::format_to(std::back_inserter(out), "{}_bucket{{{}{}le=\"+Inf\"}} {}\n", name, labels, comma, cumulative);
    }
  }
  fmt::format_to(std::back_inserter(out), "{}_sum{{{}}} {}\n", name, labels, sum_.load(std::memory_order_relaxed));
  fmt::format_to(std::back_inserter(out), "{}_count{{{}}} {}\n", name, labels, count_.load(std::memory_order_relaxed));
}

MetricsRegistry::Outcome::Outcome() : duration(kSecondsBounds), sent(kBytesBounds), received(kBytesBounds) {}

MetricsRegistry::Series& MetricsRegistry::series(Side side, std::string_view method, std::string_view target) {
  auto& map = side == Side::kServer ? server_ : client_;
  const KeyView key{method, target};
  {
    std::shared_lock lock(mutex_);
    if (auto it = map.find(key); it != map.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(Key(method, target), std::make_unique<Series>()).first;
  return *it->second;
}

MetricsRegistry::Outcome& MetricsRegistry::outcome(Series& series, StatusCode code) {
  const auto index = std::min(static_cast<std::size_t>(code), kCodes - 1);
  if (Outcome* known = series.outcomes[index].load(std::memory_order_acquire)) return *known;
  std::unique_lock lock(mutex_);
  if (!series.owned[index]) {
    series.owned[index] = std::make_unique<Outcome>();
    series.outcomes[index].store(series.owned[index].get(), std::memory_order_release);
  }
  return *series.owned[index];
}

void MetricsRegistry::started(Side side, std::string_view method, std::string_view target) {
  series(side, method, target).started.fetch_add(1, std::memory_order_relaxed);
}

void MetricsRegistry::ended(Side side, std::string_view method, std::string_view target, const CallSample& sample) {
  Outcome& o = outcome(series(side, method, target), sample.code);
  o.duration.observe(std::chrono::duration<double>(sample.duration).count());
  o.sent.observe(static_cast<double>(sample.bytes_sent));
  o.received.observe(static_cast<double>(sample.bytes_received));
}

std::string MetricsRegistry::prometheus_text() const {
  std::string out;
  std::shared_lock lock(mutex_);
  for (const Side side : {Side::kServer, Side::kClient}) {
    const auto& map = side == Side::kServer ? server_ : client_;
    const std::string_view prefix = side == Side::kServer ? "idlrpc_server_call" : "idlrpc_client_call";
    auto labels_of = [&](const Key& key) {
      std::string labels;
      append_label(labels, "method", method_label(key.first));
      if (side == Side::kClient) append_label(labels, "target", key.second);
      return labels;
    };
    fmt::format_to(std::back_inserter(out), "# HELP {0}_started_total Calls started.\n# TYPE {0}_started_total counter\n",
                   prefix);
    for (const auto& [key, series] : map) {
      fmt::format_to(std::back_inserter(out), "{}_started_total{{{}}} {}\n", prefix, labels_of(key),
                     series->started.load(std::memory_order_relaxed));
    }
    struct Family {
      std::string_view suffix, help;
      const Histogram Outcome::*histogram;
    };
    for (const Family& family : {
             Family{"duration_seconds", "Call durations, from the call's start to its status.", &Outcome::duration},
             Family{"sent_total_message_size_bytes", "Bytes of all the messages a call sent.", &Outcome::sent},
             Family{"rcvd_total_message_size_bytes", "Bytes of all the messages a call received.",
                    &Outcome::received},
         }) {
      fmt::format_to(std::back_inserter(out), "# HELP {0}_{1} {2}\n# TYPE {0}_{1} histogram\n", prefix, family.suffix,
                     family.help);
      for (const auto& [key, series] : map) {
        for (std::size_t code = 0; code < kCodes; ++code) {
          const Outcome* o = series->owned[code].get();
          if (o == nullptr) continue;
          std::string labels = labels_of(key);
          append_label(labels, "status", to_string(static_cast<StatusCode>(code)));
          (o->*family.histogram).write(out, fmt::format("{}_{}", prefix, family.suffix), labels);
        }
      }
    }
  }
  return out;
}

}  // namespace idlrpc::detail
