// The back end's entry point: from a checked model to the text of the
// generated files. It writes nothing itself; main.cpp does.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace idlc::backend {

struct GenerateOptions {
  /// Templates to use instead of the ones embedded in idlc (--templates).
  std::optional<std::filesystem::path> templates_dir;
  /// Also write the equivalent Cap'n Proto schema (--emit-capnp).
  bool emit_capnp = false;
};

struct OutputFile {
  std::filesystem::path relative_path;  // under -o: "teams.idl.h", "common/geo.idl.cpp"
  std::string contents;
};

/// The generated files for one root file of the program, in a fixed order:
/// the all-in header, its three parts (messages, blocking, async), the
/// source, then the .capnp schema if asked for. Deterministic: the
/// same model gives the same bytes. Throws std::runtime_error if a template
/// from templates_dir cannot be read or rendered.
std::vector<OutputFile> generate(const model::File& file, const GenerateOptions& options);

}  // namespace idlc::backend
