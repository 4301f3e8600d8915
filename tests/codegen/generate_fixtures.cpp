// generate_fixtures OUTDIR: writes what idlc would generate (with
// --emit-capnp) for every file of every fixture program, for the tests
// that compile generated code. Stands in for running idlc on .idl files.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "backend/generate.hpp"
#include "fixtures.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: generate_fixtures OUTDIR\n";
    return 2;
  }
  const std::filesystem::path out_dir = argv[1];
  try {
    for (const codegen_test::Fixture& fixture : codegen_test::all_fixtures()) {
      for (const auto& file : fixture.program->files) {
        idlc::backend::GenerateOptions options;
        options.emit_capnp = true;
        for (const auto& output : idlc::backend::generate(*fixture.program, *file, options)) {
          const std::filesystem::path path = out_dir / output.relative_path;
          std::filesystem::create_directories(path.parent_path());
          std::ofstream(path, std::ios::binary) << output.contents;
        }
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "generate_fixtures: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
