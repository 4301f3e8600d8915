// State shared by the semantic passes over a loaded program:
//   declarations.cpp  builds the model's declarations and checks names and
//                     numbers, leaving type references for later;
//   resolver.cpp      resolves those references once every name is known;
//   cpp_flat_names.cpp, capnp_names_check.cpp  check the names the back end
//                     derives (flattened C++ names, schema names).
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "frontend/ast.hpp"
#include "frontend/diagnostics.hpp"
#include "frontend/loader.hpp"
#include "frontend/symbol_table.hpp"
#include "model/model.hpp"

namespace idlc::frontend {

/// One file during analysis.
struct FileContext {
  LoadedFile* loaded;
  model::File* model;
  std::string package;  // dotted, "" if none
  /// The files whose declarations this one may use: itself and its direct
  /// imports (as in protobuf: imports are not transitive).
  std::unordered_set<const model::File*> visible;
  /// The imported files some reference of this file resolved into.
  std::unordered_set<const model::File*> used_imports;

  SourceRef at(const boost::spirit::x3::position_tagged& node) const {
    return {loaded->source.get(), static_cast<std::size_t>(node.id_first)};
  }
};

/// A field (or a typed reservation) whose type is still a name.
struct PendingField {
  model::Field* field;
  const ast::TypeRef* type;
  bool optional;
  std::string scope;  // full name of the enclosing message
  FileContext* file;
};

/// A method whose request and response are still names.
struct PendingMethod {
  model::Method* method;
  const ast::Rpc* syntax;
  FileContext* file;
};

struct Analysis {
  explicit Analysis(Diagnostics& diagnostics) : diagnostics(diagnostics) {}

  Diagnostics& diagnostics;
  SymbolTable symbols;
  std::vector<FileContext> files;  // program order; reserved up front, so pointers stay valid
  std::vector<PendingField> fields;
  std::vector<PendingMethod> methods;
  /// Where each declared model node's name is written (messages, enums,
  /// services, fields, enum values), for checks that run on the model.
  std::unordered_map<const void*, SourceRef> names;

  /// Keys are the nodes' addresses; types are keyed as model::TypeDecl.
  SourceRef name_of(const model::TypeDecl* decl) const { return name_of(static_cast<const void*>(decl)); }
  SourceRef name_of(const void* node) const {
    auto found = names.find(node);
    return found == names.end() ? SourceRef{} : found->second;
  }
};

/// The model location of a position-tagged node.
model::SourceLocation location_of(const FileContext& file, const boost::spirit::x3::position_tagged& node);

}  // namespace idlc::frontend
