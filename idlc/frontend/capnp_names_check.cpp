#include "frontend/capnp_names_check.hpp"

#include <algorithm>
#include <array>
#include <map>

#include "frontend/cpp_macros.hpp"
#include "naming/capnp_names.hpp"

namespace idlc::frontend {
namespace {

using naming::capnp_enumerant_name;
using naming::capnp_field_name;
using naming::capnp_type_name;

// Cap'n Proto's built-in types: a declaration of the same name shadows
// them (a `struct Text` turns every Text field into that struct).
constexpr std::array<std::string_view, 19> kCapnpBuiltins = {
    "Void",   "Bool",    "Int8",    "Int16", "Int32", "Int64",      "UInt8",     "UInt16",  "UInt32",    "UInt64",
    "Float32", "Float64", "Text",   "Data",  "List",  "AnyPointer", "AnyStruct", "AnyList", "Capability"};

// capnp's C++ generator declares these classes inside every struct, so a
// nested struct or enum of that name does not compile.
constexpr std::array<std::string_view, 3> kCapnpCxxMembers = {"Reader", "Builder", "Pipeline"};

// capnp's C++ generator spells enumerants in UPPER_SNAKE_CASE: "divisionNorth"
// -> "DIVISION_NORTH", "eof" -> "EOF".
std::string capnp_cxx_enumerant(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') {
      out += static_cast<char>(c - 'a' + 'A');
    } else if (c >= 'A' && c <= 'Z' && !out.empty()) {
      out += '_';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string scoped_name(const model::TypeDecl& decl) {
  std::string scoped = decl.name;
  for (const model::Message* parent = decl.parent; parent != nullptr; parent = parent->parent) {
    scoped = parent->name + "." + scoped;
  }
  return scoped;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What has a name in one schema scope (the file, or a struct).
struct Declared {
  std::string kind;  // "message", "enum", "field"
  std::string name;  // as written in the IDL (scoped for types)
  std::string what;  // for messages: "message 'A.B'", "the entries of map field 'scores'"
  SourceRef where;
};

struct Scope {
  std::string owner;  // "" for the file, else the message's scoped name
  std::map<std::string, Declared> names;
};

class CapnpNames {
 public:
  explicit CapnpNames(Analysis& analysis) : analysis_(analysis), diagnostics_(analysis.diagnostics) {}

  void run() {
    for (const FileContext& file : analysis_.files) check_file(*file.model);
  }

 private:
  void check_file(const model::File& file) {
    file_ = &file;
    top_ = Scope{};
    boxes_.clear();
    declare_types(top_, file.messages, file.enums);
    for (const auto& m : file.messages) check_message(*m);
    for (const auto& e : file.enums) check_enum(*e);
  }

  // In source order, so that the later of two clashing names is reported.
  void declare_types(Scope& scope, const std::vector<std::unique_ptr<model::Message>>& messages,
                     const std::vector<std::unique_ptr<model::Enum>>& enums) {
    std::vector<std::pair<const model::TypeDecl*, std::string_view>> types;
    for (const auto& m : messages) types.emplace_back(m.get(), "message");
    for (const auto& e : enums) types.emplace_back(e.get(), "enum");
    std::stable_sort(types.begin(), types.end(), [&](const auto& a, const auto& b) {
      return analysis_.name_of(a.first).offset < analysis_.name_of(b.first).offset;
    });
    for (const auto& [decl, kind] : types) declare_type(scope, *decl, kind);
  }

  void declare_type(Scope& scope, const model::TypeDecl& decl, std::string_view kind) {
    const std::string name = capnp_type_name(decl.name);
    const SourceRef where = analysis_.name_of(&decl);
    const std::string_view article = kind == "enum" ? "an enum" : "a message";
    if (contains(kCapnpBuiltins, name)) {
      diagnostics_.report(DiagnosticId::capnp_builtin_type_name, where, decl.name, article, name);
      return;
    }
    if (decl.parent != nullptr && contains(kCapnpCxxMembers, name)) {
      diagnostics_.report(DiagnosticId::capnp_cxx_nested_name, where, decl.name, kind, name);
      return;
    }
    const std::string scoped = scoped_name(decl);
    declare(scope, name, {std::string(kind), scoped, std::string(kind) + " '" + scoped + "'", where});
  }

  // Adds a declared name; two IDL names with one schema spelling clash
  // (the same IDL name twice is a redefinition, reported already).
  void declare(Scope& scope, const std::string& name, Declared declared) {
    auto [previous, inserted] = scope.names.try_emplace(name, declared);
    if (inserted || previous->second.name == declared.name) return;
    report_clash(declared, previous->second, name);
  }

  void report_clash(const Declared& later, const Declared& earlier, const std::string& name) {
    diagnostics_.report(DiagnosticId::capnp_name_clash, later.where, later.kind, later.name, earlier.kind,
                        earlier.name, name);
    diagnostics_.report(DiagnosticId::note_clashing_declaration, earlier.where, earlier.kind, earlier.name);
  }

  // A struct idlc invents (map entries, optional boxes) in `scope`.
  void claim(Scope& scope, const std::string& name, const std::string& purpose, const model::Field& field) {
    const SourceRef where = analysis_.name_of(&field);
    auto [previous, inserted] =
        scope.names.try_emplace(name, Declared{"field", field.name, purpose, where});
    if (inserted) return;
    diagnostics_.report(DiagnosticId::capnp_invented_name_clash, where, name, purpose, previous->second.what);
    diagnostics_.report(DiagnosticId::note_clashing_declaration, previous->second.where, previous->second.kind,
                        previous->second.name);
  }

  // The Entry structs a field's type needs, named like the schema view does:
  // the field in PascalCase, "Element" per list level, "Value" per map level.
  void claim_entries(Scope& scope, const model::Type& type, const std::string& name, const model::Field& field) {
    if (type.kind == model::Type::Kind::List) {
      claim_entries(scope, type.params.at(0), name + "Element", field);
    } else if (type.kind == model::Type::Kind::Map) {
      claim(scope, name + "Entry", "the entries of map field '" + field.name + "'", field);
      claim_entries(scope, type.params.at(1), name + "Value", field);
    }
  }

  void check_optional_box(const model::Field& field) {
    const std::string name = naming::capnp_optional_box_name(field.type);
    const std::string value = field.type.kind == model::Type::Kind::Enum
                                  ? "enum '" + scoped_name(*field.type.enumeration) + "'"
                                  : naming::capnp_scalar_name(field.type.scalar);
    const std::string purpose = "the optional " + value + " fields";
    auto [box, inserted] = boxes_.try_emplace(name, value);
    if (inserted || box->second != value) claim(top_, name, purpose, field);  // another enum's box: reports
  }

  void check_message(const model::Message& message) {
    Scope scope{scoped_name(message), {}};
    declare_types(scope, message.messages, message.enums);

    std::vector<const model::Field*> by_number;
    for (const model::Field& field : message.fields) by_number.push_back(&field);
    std::stable_sort(by_number.begin(), by_number.end(),
                     [](const model::Field* a, const model::Field* b) { return a->number < b->number; });

    Scope field_names;
    for (const model::Field* field : by_number) {
      declare(field_names, capnp_field_name(field->name),
              {"field", field->name, "field '" + field->name + "'", analysis_.name_of(field)});
      if (!(field->optional && naming::needs_optional_box(field->type))) {
        claim_entries(scope, field->type, naming::pascal_case(field->name), *field);
      }
    }

    for (const model::Field* field : by_number) {
      if (field->optional && naming::needs_optional_box(field->type)) check_optional_box(*field);
    }
    for (const auto& e : message.enums) check_enum(*e);
    for (const auto& m : message.messages) check_message(*m);
  }

  void check_enum(const model::Enum& e) {
    Scope values;
    for (const model::EnumValue& value : e.values) {
      const std::string cxx = capnp_cxx_enumerant(capnp_enumerant_name(value.name));
      if (std::optional<std::string_view> origin = cpp_macro_origin(cxx); origin && cxx != value.name && cxx != "NULL") {  // capnp writes NULL_
        diagnostics_.report(DiagnosticId::capnp_cxx_enumerant_macro, analysis_.name_of(&value), value.name, cxx,
                            *origin);
      }
      declare(values, capnp_enumerant_name(value.name),
              {"enum value", value.name, "enum value '" + value.name + "'", analysis_.name_of(&value)});
    }
  }

  Analysis& analysis_;
  Diagnostics& diagnostics_;
  const model::File* file_ = nullptr;
  Scope top_;
  std::map<std::string, std::string> boxes_;  // Optional<T> struct name -> what it boxes
};

}  // namespace

void check_capnp_names(Analysis& analysis) { CapnpNames(analysis).run(); }

}  // namespace idlc::frontend
