// libFuzzer target for the whole front end: scanner, X3 grammar, loader,
// semantic passes and diagnostics rendering. The input is one IDL file,
// "fuzz.idl", which may import "dep.idl" (a fixed valid file) or itself.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "frontend/frontend.hpp"

namespace {

const char* const kDependency = R"(package dep;
/// A message to import.
message Point { float64 x = 1; float64 y = 2; }
enum Kind { A = 0; B = 1; }
)";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  idlc::frontend::MemoryReader reader;
  reader.add("fuzz.idl", std::string(reinterpret_cast<const char*>(data), size));
  reader.add("dep.idl", kDependency);
  std::ostringstream output;
  idlc::frontend::Diagnostics diagnostics(output);
  auto result = idlc::frontend::compile({"fuzz.idl"}, {}, diagnostics, reader);
  // The contract: a program exactly when no error was reported.
  if ((result.program != nullptr) == diagnostics.has_errors()) __builtin_trap();
  return 0;
}
