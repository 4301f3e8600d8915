// idlrpc_bench_table < lines.jsonl
//
// Reads the JSON lines of bench/compare (or of one bench/run or peer run.sh,
// which make a one-round report) and prints the Markdown report of
// compare_table.hpp: the run and its rounds, the targets of issues 16 and 12, then
// one table per scenario with every system's median (min–max) over the
// rounds and idlrpc's per-round ratios to each peer.
#include <iostream>

#include <CLI/CLI.hpp>

#include "compare_table.hpp"

int main(int argc, char** argv) {
  CLI::App app("Markdown tables from benchmark JSON lines on stdin.");
  CLI11_PARSE(app, argc, argv);
  try {
    std::cout << idlrpc_bench::markdown_report(std::cin);
  } catch (const idlrpc_bench::TableError& e) {
    std::cerr << "idlrpc_bench_table: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
