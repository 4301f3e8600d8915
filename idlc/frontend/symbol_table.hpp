// Every message, enum and service of the program by full name
// ("sports.teams.TeamResponse.Stats"), and the lookup of a name as written
// from inside a scope.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "frontend/diagnostics.hpp"
#include "model/model.hpp"

namespace idlc::frontend {

struct Symbol {
  enum class Kind { Message, Enum, Service };
  Kind kind;
  std::string name;                          // simple name
  const model::TypeDecl* type = nullptr;     // Message or Enum; null for a Service
  const model::File* file = nullptr;         // declaring file
  SourceRef location;                        // the declaration's name
};

class SymbolTable {
 public:
  /// Adds a symbol; returns the one already declared under that full name
  /// (and adds nothing), or null.
  const Symbol* add(const std::string& full_name, Symbol symbol);

  const Symbol* find(std::string_view full_name) const;

  /// Looks `name` (possibly dotted) up from `scope` (a dotted full name:
  /// package, then enclosing messages) outwards, like C++ and protobuf:
  /// "scope.name", then "parent.name", ... then "name". Only symbols of
  /// files in `visible` count; `hidden` receives the first match in
  /// another file, for a "not imported" note.
  const Symbol* lookup(std::string_view name, std::string_view scope,
                       const std::unordered_set<const model::File*>& visible, const Symbol** hidden) const;

  /// The visible type name closest to `name` by edit distance, spelled so
  /// that it resolves from `scope`; empty if nothing is close enough.
  std::string suggest(std::string_view name, std::string_view scope,
                      const std::unordered_set<const model::File*>& visible) const;

 private:
  // Transparent hashing: look up string_views without building strings.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  std::unordered_map<std::string, Symbol, Hash, std::equal_to<>> symbols_;
};

}  // namespace idlc::frontend
