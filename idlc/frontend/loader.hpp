// Reads the root files and, transitively, every file they import; parses
// each once. Imports are resolved against the importing file's folder,
// then each -I folder in order.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "frontend/ast.hpp"
#include "frontend/diagnostics.hpp"
#include "frontend/scanner.hpp"
#include "frontend/source_files.hpp"

namespace idlc::frontend {

struct LoadedFile;

/// One `import` statement and the file it names.
struct ImportEdge {
  const ast::Import* statement;
  LoadedFile* target;
};

struct LoadedFile {
  std::unique_ptr<SourceFile> source;  // path() is the path idlc read
  std::string relative_path;           // see model::File::relative_path
  ast::File syntax;
  DocComments docs;
  std::vector<ImportEdge> imports;     // resolved imports, source order, each target once
  /// An import was not found, unreadable or cyclic (and reported): names
  /// that do not resolve may come from it, so they are not reported.
  bool missing_imports = false;
};

struct LoadedProgram {
  /// Every file read, each once, an imported file before its importers.
  std::vector<std::unique_ptr<LoadedFile>> files;
  std::vector<LoadedFile*> roots;  // in command-line order
  /// Every path read, for depfiles.
  std::vector<std::string> paths_read;
  /// False if a file could not be read or parsed: the semantic checks
  /// need every file. (An unresolved import alone does not stop them.)
  bool complete = true;
};

/// Loads `roots` and their imports. Reports unreadable files, syntax
/// errors, unknown and cyclic imports.
LoadedProgram load_program(const std::vector<std::string>& roots,
                           const std::vector<std::filesystem::path>& import_dirs, const SourceReader& reader,
                           Diagnostics& diagnostics);

}  // namespace idlc::frontend
