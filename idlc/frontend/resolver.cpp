#include "frontend/resolver.hpp"

#include "frontend/scalars.hpp"

namespace idlc::frontend {
namespace {

// "did you mean" costs a walk over every symbol: enough for the errors a
// person reads, not for a generated file with thousands of bad names.
constexpr unsigned kMaxSuggestions = 100;

class Resolver {
 public:
  explicit Resolver(Analysis& analysis) : analysis_(analysis), diagnostics_(analysis.diagnostics) {}

  void run() {
    for (const PendingField& pending : analysis_.fields) resolve_field(pending);
    for (const PendingMethod& pending : analysis_.methods) resolve_method(pending);
    for (FileContext& file : analysis_.files) warn_unused_imports(file);
  }

 private:
  void resolve_field(const PendingField& pending) {
    std::optional<model::Type> type = resolve_type(*pending.type, pending.scope, *pending.file);
    if (!type) return;
    if (pending.optional && (type->kind == model::Type::Kind::List || type->kind == model::Type::Kind::Map)) {
      std::string_view container = type->kind == model::Type::Kind::List ? "list" : "map";
      diagnostics_.report(DiagnosticId::optional_container, pending.file->at(*pending.type), container, container);
    }
    pending.field->type = std::move(*type);
  }

  std::optional<model::Type> resolve_type(const ast::TypeRef& syntax, const std::string& scope, FileContext& file) {
    const std::string& name = syntax.name.text;
    if (name == "list" || name == "map") return resolve_container(syntax, scope, file);
    if (!syntax.arguments.empty()) {
      diagnostics_.report(DiagnosticId::unexpected_type_arguments, file.at(syntax.name), name);
      return std::nullopt;
    }
    model::Type type;
    if (auto scalar = scalar_named(name)) {
      type.kind = model::Type::Kind::Scalar;
      type.scalar = *scalar;
      return type;
    }
    const Symbol* symbol = lookup(syntax.name, scope, file);
    if (symbol == nullptr) return std::nullopt;
    if (symbol->kind == Symbol::Kind::Service) {
      diagnostics_.report(DiagnosticId::service_is_not_a_type, file.at(syntax.name), name);
      return std::nullopt;
    }
    if (symbol->kind == Symbol::Kind::Enum) {
      type.kind = model::Type::Kind::Enum;
      type.enumeration = static_cast<const model::Enum*>(symbol->type);
    } else {
      type.kind = model::Type::Kind::Message;
      type.message = static_cast<const model::Message*>(symbol->type);
    }
    return type;
  }

  std::optional<model::Type> resolve_container(const ast::TypeRef& syntax, const std::string& scope,
                                               FileContext& file) {
    bool is_list = syntax.name.text == "list";
    if (syntax.arguments.size() != (is_list ? 1u : 2u)) {
      diagnostics_.report(is_list ? DiagnosticId::list_arity : DiagnosticId::map_arity, file.at(syntax.name));
      return std::nullopt;
    }
    model::Type type;
    type.kind = is_list ? model::Type::Kind::List : model::Type::Kind::Map;
    bool ok = true;
    for (const ast::TypeRef& argument : syntax.arguments) {
      std::optional<model::Type> resolved = resolve_type(argument, scope, file);
      ok = ok && resolved.has_value();
      if (resolved) type.params.push_back(std::move(*resolved));
    }
    if (!ok) return std::nullopt;
    if (!is_list) {
      const model::Type& key = type.params[0];
      if (key.kind != model::Type::Kind::Scalar || !is_valid_map_key(key.scalar)) {
        const ast::TypeRef& key_syntax = syntax.arguments[0];
        diagnostics_.report(DiagnosticId::invalid_map_key, file.at(key_syntax), ast::spelling(key_syntax));
        return std::nullopt;
      }
    }
    return type;
  }

  void resolve_method(const PendingMethod& pending) {
    const ast::Rpc& syntax = *pending.syntax;
    std::string_view scope = pending.file->package;
    pending.method->request = resolve_message(syntax.request, scope, "argument", *pending.file);
    pending.method->response = resolve_message(syntax.response, scope, "result", *pending.file);
  }

  const model::Message* resolve_message(const ast::QualifiedName& name, std::string_view scope,
                                        std::string_view role, FileContext& file) {
    if (scalar_named(name.text) || name.text == "list" || name.text == "map") {
      diagnostics_.report(DiagnosticId::rpc_type_not_message, file.at(name), role, name.text);
      return nullptr;
    }
    const Symbol* symbol = lookup(name, scope, file);
    if (symbol == nullptr) return nullptr;
    if (symbol->kind != Symbol::Kind::Message) {
      diagnostics_.report(DiagnosticId::rpc_type_not_message, file.at(name), role, name.text);
      diagnostics_.report(DiagnosticId::note_declared_here, symbol->location, name.text);
      return nullptr;
    }
    return static_cast<const model::Message*>(symbol->type);
  }

  // Finds a user-declared name or reports it unknown, with notes.
  const Symbol* lookup(const ast::QualifiedName& name, std::string_view scope, FileContext& file) {
    const Symbol* hidden = nullptr;
    const Symbol* symbol = analysis_.symbols.lookup(name.text, scope, file.visible, &hidden);
    if (symbol != nullptr) {
      if (symbol->file != file.model) file.used_imports.insert(symbol->file);
      return symbol;
    }
    if (file.loaded->missing_imports) return nullptr;  // the name may live in the missing file
    diagnostics_.report(DiagnosticId::unknown_type, file.at(name), name.text);
    if (hidden != nullptr) {
      diagnostics_.report(DiagnosticId::note_declared_in_unimported_file, hidden->location, name.text,
                          hidden->file->path);
    } else if (suggestions_++ < kMaxSuggestions) {
      std::string suggestion = analysis_.symbols.suggest(name.text, scope, file.visible);
      if (!suggestion.empty()) diagnostics_.report(DiagnosticId::note_did_you_mean, file.at(name), suggestion);
    }
    return nullptr;
  }

  // model::File::imports lists the same files as LoadedFile::imports, in
  // the same order (see frontend.cpp).
  void warn_unused_imports(const FileContext& file) {
    for (std::size_t i = 0; i < file.loaded->imports.size(); ++i) {
      if (file.used_imports.count(file.model->imports[i]) > 0) continue;
      const ast::StringLiteral& path = file.loaded->imports[i].statement->path;
      diagnostics_.report(DiagnosticId::unused_import, file.at(path), path.text);
    }
  }

  Analysis& analysis_;
  Diagnostics& diagnostics_;
  unsigned suggestions_ = 0;
};

}  // namespace

void resolve_references(Analysis& analysis) { Resolver(analysis).run(); }

}  // namespace idlc::frontend
