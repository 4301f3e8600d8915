// How long `idlc --check` takes on a 5 MB IDL with 10,000 messages (the
// goal: well under a second), as a process the way a build runs it, and
// the front end alone, in-process.
#include <benchmark/benchmark.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/frontend.hpp"
#include "large_idl.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path& large_idl_path() {
  static const fs::path path = [] {
    fs::path file = fs::temp_directory_path() / "idlc_bench_large.idl";
    std::ofstream(file, std::ios::binary) << idlc::bench::make_large_idl();
    return file;
  }();
  return path;
}

void BM_IdlcCheckProcess(benchmark::State& state) {
  std::string command = std::string(IDLC_EXECUTABLE) + " --check " + large_idl_path().string();
  for (auto _ : state) {
    int status = std::system(command.c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) state.SkipWithError("idlc --check failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * fs::file_size(large_idl_path())));
}
BENCHMARK(BM_IdlcCheckProcess)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FrontendInProcess(benchmark::State& state) {
  for (auto _ : state) {
    std::ostringstream output;
    idlc::frontend::Diagnostics diagnostics(output);
    auto result = idlc::frontend::compile({large_idl_path().string()}, {}, diagnostics);
    if (!result.program) state.SkipWithError(output.str().c_str());
    benchmark::DoNotOptimize(result.program.get());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * fs::file_size(large_idl_path())));
}
BENCHMARK(BM_FrontendInProcess)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
