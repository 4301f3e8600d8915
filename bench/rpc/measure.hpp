// Timing, percentiles and the checks every scenario shares. Nothing here
// knows about idlrpc: it is the measuring tape, kept apart from what is
// measured so that each scenario reads as the spec describes it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

/// A scenario that could not run as specified: a failed call, a wrong echo,
/// a lost message. The client reports it and exits non-zero.
class ScenarioFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
inline double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

/// Latency samples in microseconds, summarised by nearest-rank percentiles
/// (the definition every peer of the comparison uses).
class Samples {
 public:
  void reserve(std::size_t n) { values_.reserve(n); }
  void add(Clock::duration d) { values_.push_back(micros(d)); }
  void merge(const Samples& other) { values_.insert(values_.end(), other.values_.begin(), other.values_.end()); }
  std::size_t size() const { return values_.size(); }

  /// The nearest-rank percentile, p in (0, 100]. Sorts the samples.
  /// Throws ScenarioFailure when there are none.
  double percentile(double p);

 private:
  std::vector<double> values_;
  bool sorted_ = false;
};

/// Rounds for the JSON lines: latencies to 0.1 µs, rates to whole units.
double round_to_tenths(double value);
std::int64_t round_to_int(double value);

/// The port of a "HOST:PORT" target. Throws std::invalid_argument.
std::uint16_t port_of(const std::string& target);

/// The TCP connections this process has in state ESTABLISHED to
/// `remote_port` (their socket inodes), from /proc/net/tcp{,6} and
/// /proc/self/fd. Lets a scenario prove that N channels really are N
/// connections.
using ConnectionSet = std::unordered_set<std::string>;
ConnectionSet established_connections_to(std::uint16_t remote_port);

/// How many connections of `after` are not in `before`: those opened in
/// between (connections closed meanwhile do not count against it).
std::size_t opened_between(const ConnectionSet& before, const ConnectionSet& after);

/// The resident set size of this process in bytes, from /proc/self/statm.
std::uint64_t resident_bytes();
/// CPU time this process has used, user and system, in microseconds.
std::uint64_t process_cpu_microseconds();

}  // namespace bench
