#include "frontend/cpp_flat_names.hpp"

#include <map>

namespace idlc::frontend {
namespace {

struct Declared {
  std::string_view kind;
  std::string scoped;  // "A.B": the name relative to the package
  SourceRef where;
};

class FlatNames {
 public:
  explicit FlatNames(Analysis& analysis) : analysis_(analysis) {}

  void run() {
    // Program order (imports first, then declaration order): the later
    // declaration gets the error, the earlier one the note.
    for (const FileContext& file : analysis_.files) {
      Namespace& names = namespaces_[file.package];
      for (const auto& message : file.model->messages) add_message(names, *message, "");
      for (const auto& enumeration : file.model->enums) add(names, "enum", static_cast<const model::TypeDecl*>(enumeration.get()), enumeration->name);
      for (const model::Service& service : file.model->services) add(names, "service", &service, service.name);
    }
  }

 private:
  using Namespace = std::map<std::string, Declared>;  // flat name -> first declaration

  void add_message(Namespace& names, const model::Message& message, const std::string& prefix) {
    const std::string scoped = prefix.empty() ? message.name : prefix + "." + message.name;
    add(names, "message", static_cast<const model::TypeDecl*>(&message), scoped);
    for (const auto& nested : message.messages) add_message(names, *nested, scoped);
    for (const auto& nested : message.enums) add(names, "enum", static_cast<const model::TypeDecl*>(nested.get()), scoped + "." + nested->name);
  }

  void add(Namespace& names, std::string_view kind, const void* node, const std::string& scoped) {
    std::string flat = scoped;
    for (char& c : flat) c = c == '.' ? '_' : c;
    SourceRef where = analysis_.name_of(node);
    auto [previous, inserted] = names.try_emplace(flat, Declared{kind, scoped, where});
    // Same scoped name: a redefinition, reported by declarations.cpp.
    if (inserted || previous->second.scoped == scoped) return;
    analysis_.diagnostics.report(DiagnosticId::cpp_flat_name_clash, where, kind, scoped, previous->second.kind,
                                 previous->second.scoped, flat);
    analysis_.diagnostics.report(DiagnosticId::note_clashing_declaration, previous->second.where,
                                 previous->second.kind, previous->second.scoped);
  }

  Analysis& analysis_;
  std::map<std::string, Namespace> namespaces_;  // package -> its C++ names
};

}  // namespace

void check_cpp_flat_names(Analysis& analysis) { FlatNames(analysis).run(); }

}  // namespace idlc::frontend
