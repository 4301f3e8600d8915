// idlc's front end: from IDL files to a checked, resolved model::Program.
//
//   idlc::frontend::Diagnostics diagnostics(std::cerr);
//   auto result = idlc::frontend::compile({"teams.idl"}, {.import_dirs = {"include"}}, diagnostics);
//   if (!result.program) return 1;   // errors were printed
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "frontend/diagnostics.hpp"
#include "frontend/source_files.hpp"
#include "model/model.hpp"

namespace idlc::frontend {

struct CompileOptions {
  /// Where imports not found beside the importing file are looked for, in order (-I).
  std::vector<std::filesystem::path> import_dirs;
};

struct CompileResult {
  /// The checked program; null if any error was reported.
  std::unique_ptr<model::Program> program;
  /// Every file read, roots and imports, as read: the inputs of a depfile.
  std::vector<std::string> files_read;
};

/// Reads, parses and checks `roots` and everything they import. Reports
/// every problem to `diagnostics` (warnings do not fail the compilation).
CompileResult compile(const std::vector<std::string>& roots, const CompileOptions& options,
                      Diagnostics& diagnostics);
CompileResult compile(const std::vector<std::string>& roots, const CompileOptions& options,
                      Diagnostics& diagnostics, const SourceReader& reader);

}  // namespace idlc::frontend
