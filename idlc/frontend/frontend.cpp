#include "frontend/frontend.hpp"

#include <unordered_map>

#include "frontend/analysis.hpp"
#include "frontend/capnp_names_check.hpp"
#include "frontend/cpp_flat_names.hpp"
#include "frontend/declarations.hpp"
#include "frontend/loader.hpp"
#include "frontend/resolver.hpp"

namespace idlc::frontend {

CompileResult compile(const std::vector<std::string>& roots, const CompileOptions& options,
                      Diagnostics& diagnostics) {
  return compile(roots, options, diagnostics, DiskReader());
}

CompileResult compile(const std::vector<std::string>& roots, const CompileOptions& options,
                      Diagnostics& diagnostics, const SourceReader& reader) {
  CompileResult result;
  LoadedProgram loaded = load_program(roots, options.import_dirs, reader, diagnostics);
  result.files_read = loaded.paths_read;
  // Semantic checks need every file parsed: a file with a syntax error
  // would make its importers report its types as unknown.
  if (!loaded.complete) return result;

  auto program = std::make_unique<model::Program>();
  Analysis analysis(diagnostics);
  analysis.files.reserve(loaded.files.size());
  std::unordered_map<const LoadedFile*, model::File*> model_of;
  for (const auto& file : loaded.files) {
    auto& model_file = program->files.emplace_back(std::make_unique<model::File>());
    model_file->path = file->source->path();
    model_file->relative_path = file->relative_path;
    model_of[file.get()] = model_file.get();
    FileContext& context = analysis.files.emplace_back();
    context.loaded = file.get();
    context.model = model_file.get();
    context.visible.insert(model_file.get());
    // Imports come before their importers, so their model already exists.
    for (const ImportEdge& edge : file->imports) {
      model_file->imports.push_back(model_of.at(edge.target));
      context.visible.insert(model_of.at(edge.target));
    }
  }
  for (LoadedFile* root : loaded.roots) program->roots.push_back(model_of.at(root));

  std::vector<const SourceFile*> file_order;
  for (const auto& file : loaded.files) file_order.push_back(file->source.get());
  diagnostics.defer(std::move(file_order));
  for (FileContext& file : analysis.files) declare_file(file, analysis);
  check_cpp_flat_names(analysis);
  resolve_references(analysis);
  // The schema names depend on resolved types; unresolved ones would only
  // add noise.
  if (!diagnostics.has_errors()) check_capnp_names(analysis);
  for (const FileContext& file : analysis.files) file.loaded->docs.warn_unattached(*file.loaded->source, diagnostics);
  diagnostics.flush();

  if (!diagnostics.has_errors()) result.program = std::move(program);
  return result;
}

}  // namespace idlc::frontend
