// The Markdown report of bench/compare, built from its JSON lines.
//
// bench/compare runs every system several times ("rounds", the systems
// interleaved within each round) and keeps one JSON object per run and
// scenario, each with the "round" it belongs to, plus "meta" lines that
// describe the run and each round (load average, failures). This library
// turns those lines into the tables of bench/README.md: per scenario and
// system the median and range (min–max) of each figure over the rounds, and
// per round the ratio of idlrpc to each peer, summarised the same way.
// idlrpc_bench_table (table_main.cpp) is its command line; the unit test
// is tests/bench/compare_table_test.cpp.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace idlrpc_bench {

// Median, smallest and largest of a sample, and its size. The median of an
// even number of values is the mean of the two middle ones.
struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
  std::size_t count = 0;
};

// nullopt for an empty sample.
std::optional<Spread> spread(std::vector<double> values);

// "41.2" (one value) or "41.2 (40.1–45.3)"; ratios: "0.39×" or "0.39× (0.35–0.42)".
std::string format_number(double value);
std::string format_spread(const Spread& s);
std::string format_ratio_spread(const Spread& s);

// Bad input: a line that is not a JSON object, lacks "system" or
// "scenario", or repeats a system's scenario within one round.
class TableError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The whole report for the JSON lines read from `in` (blank lines are
// skipped; a line without "round" belongs to round 1, so the lines of a
// single run of bench/run or a peer's run.sh make a one-round report).
// Throws TableError.
std::string markdown_report(std::istream& in);

}  // namespace idlrpc_bench
