#include "frontend/loader.hpp"

#include <unordered_map>

#include <fmt/format.h>

#include "frontend/parser.hpp"

namespace idlc::frontend {
namespace {

namespace fs = std::filesystem;

class Loader {
 public:
  Loader(const std::vector<fs::path>& import_dirs, const SourceReader& reader, Diagnostics& diagnostics)
      : import_dirs_(import_dirs), reader_(reader), diagnostics_(diagnostics) {}

  LoadedProgram run(const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
      fs::path path(root);
      // A relative root keeps its folders in the output ("common/geo.idl");
      // an absolute one only has its name to go by.
      std::string relative = path.is_absolute() ? path.filename().generic_string()
                                                : path.lexically_normal().generic_string();
      if (LoadedFile* file = load(path, relative, {})) {
        if (std::find(program_.roots.begin(), program_.roots.end(), file) == program_.roots.end()) {
          program_.roots.push_back(file);
        }
      }
    }
    return std::move(program_);
  }

 private:
  enum class State { Loading, Done };
  struct Entry {
    LoadedFile* file;  // null if it could not be read
    State state;
  };

  // Loads `path` unless already loaded; returns null if it cannot be read.
  // `importer` locates the error for an unreadable import.
  LoadedFile* load(const fs::path& path, const std::string& relative_path, SourceRef importer) {
    std::string identity = reader_.identity(path);
    if (auto known = entries_.find(identity); known != entries_.end()) return known->second.file;

    std::string error;
    std::optional<std::string> text = reader_.read(path, error);
    if (!text) {
      diagnostics_.report(DiagnosticId::cannot_read_file, importer, path.generic_string(), error);
      program_.complete = false;
      entries_.emplace(identity, Entry{nullptr, State::Done});
      return nullptr;
    }
    program_.paths_read.push_back(path.generic_string());
    auto file = std::make_unique<LoadedFile>();
    file->source = std::make_unique<SourceFile>(path.generic_string(), std::move(*text));
    file->relative_path = relative_path;
    LoadedFile* loaded = file.get();
    entries_.emplace(identity, Entry{loaded, State::Loading});

    if (auto syntax = parse(*loaded->source, diagnostics_, loaded->docs)) {
      loaded->syntax = std::move(*syntax);
      stack_.push_back(loaded);
      load_imports(*loaded);
      stack_.pop_back();
    } else {
      program_.complete = false;
    }
    entries_[identity].state = State::Done;
    program_.files.push_back(std::move(file));  // after its imports: dependency order
    return loaded;
  }

  void load_imports(LoadedFile& importer) {
    for (const ast::Declaration& declaration : importer.syntax) {
      const auto* statement = boost::get<ast::Import>(&declaration);
      if (statement == nullptr) continue;
      SourceRef at{importer.source.get(), static_cast<std::size_t>(statement->path.id_first)};
      const std::string& name = statement->path.text;
      if (name.empty()) {
        diagnostics_.report(DiagnosticId::empty_import_path, at);
        importer.missing_imports = true;
        continue;
      }
      auto [path, relative_path] = find_import(importer, name);
      if (path.empty()) {
        diagnostics_.report(DiagnosticId::import_not_found, at, name);
        diagnostics_.report(DiagnosticId::note_import_search_path, at, search_list(importer));
        importer.missing_imports = true;
        continue;
      }
      LoadedFile* target = load(path, relative_path, at);
      if (target == nullptr) {
        importer.missing_imports = true;
        continue;
      }
      if (entries_[reader_.identity(path)].state == State::Loading) {
        diagnostics_.report(DiagnosticId::import_cycle, at, cycle_through(*target));
        importer.missing_imports = true;
        continue;
      }
      bool duplicate = std::any_of(importer.imports.begin(), importer.imports.end(),
                                   [&](const ImportEdge& edge) { return edge.target == target; });
      if (duplicate) {
        diagnostics_.report(DiagnosticId::duplicate_import, at, name);
        continue;
      }
      importer.imports.push_back({statement, target});
    }
  }

  // The file an import names, and its relative_path; empty if not found.
  std::pair<fs::path, std::string> find_import(const LoadedFile& importer, const std::string& name) const {
    fs::path beside = fs::path(importer.source->path()).parent_path() / name;
    if (reader_.exists(beside)) {
      std::string relative = (fs::path(importer.relative_path).parent_path() / name).lexically_normal().generic_string();
      return {beside.lexically_normal(), relative};
    }
    for (const fs::path& dir : import_dirs_) {
      fs::path candidate = dir / name;
      if (reader_.exists(candidate)) return {candidate.lexically_normal(), fs::path(name).lexically_normal().generic_string()};
    }
    return {};
  }

  std::string search_list(const LoadedFile& importer) const {
    std::string folder = fs::path(importer.source->path()).parent_path().generic_string();
    std::string list = fmt::format("'{}'", folder.empty() ? "." : folder);
    for (const fs::path& dir : import_dirs_) list += fmt::format(", '{}'", dir.generic_string());
    return list;
  }

  // "a.idl -> b.idl -> a.idl" for an import of `target` that closes a cycle.
  std::string cycle_through(const LoadedFile& target) const {
    std::string chain;
    bool in_cycle = false;
    for (const LoadedFile* file : stack_) {
      in_cycle = in_cycle || file == &target;
      if (in_cycle) chain += file->source->path() + " -> ";
    }
    return chain + target.source->path();
  }

  const std::vector<fs::path>& import_dirs_;
  const SourceReader& reader_;
  Diagnostics& diagnostics_;
  LoadedProgram program_;
  std::unordered_map<std::string, Entry> entries_;
  std::vector<LoadedFile*> stack_;  // files whose imports are being loaded
};

}  // namespace

LoadedProgram load_program(const std::vector<std::string>& roots, const std::vector<fs::path>& import_dirs,
                           const SourceReader& reader, Diagnostics& diagnostics) {
  return Loader(import_dirs, reader, diagnostics).run(roots);
}

}  // namespace idlc::frontend
