// capnp_view(): the Cap'n Proto schema equivalent to one IDL file
// (docs/wire-format.md describes the mapping this implements).
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "backend/layout.hpp"
#include "backend/names.hpp"
#include "backend/views.hpp"

namespace idlc::backend {
namespace {

using kainjow::mustache::data;

std::string capnp_scalar(model::Scalar scalar) {
  switch (scalar) {
    case model::Scalar::Bool: return "Bool";
    case model::Scalar::Int8: return "Int8";
    case model::Scalar::Int16: return "Int16";
    case model::Scalar::Int32: return "Int32";
    case model::Scalar::Int64: return "Int64";
    case model::Scalar::UInt8: return "UInt8";
    case model::Scalar::UInt16: return "UInt16";
    case model::Scalar::UInt32: return "UInt32";
    case model::Scalar::UInt64: return "UInt64";
    case model::Scalar::Float32: return "Float32";
    case model::Scalar::Float64: return "Float64";
    case model::Scalar::String: return "Text";
    case model::Scalar::Bytes: return "Data";
  }
  return {};
}

// The schema names of a declaration and its enclosing messages, outermost first.
std::vector<std::string> schema_path(const model::TypeDecl& decl) {
  std::vector<std::string> path{capnp_type_name(decl.name)};
  for (const model::Message* parent = decl.parent; parent != nullptr; parent = parent->parent) {
    path.push_back(capnp_type_name(parent->name));
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& part : path) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

// Declarations in one schema scope, to refuse invented names that collide.
class Scope {
 public:
  explicit Scope(std::string where) : where_(std::move(where)) {}
  const std::string& where() const { return where_; }
  void declare(const std::string& name) { names_.insert(name); }
  bool declares(const std::string& name) const { return names_.count(name) != 0; }
  void claim(const std::string& name, const std::string& why) {
    if (!names_.insert(name).second) {
      throw std::runtime_error(fmt::format("the Cap'n Proto schema needs a struct named {} for {}, "
                                           "but {} already declares that name; rename it",
                                           name, why, where_));
    }
  }

 private:
  std::string where_;
  std::set<std::string> names_;
};

class SchemaBuilder {
 public:
  explicit SchemaBuilder(const model::File& file) : file_(file), top_scope_("file " + file.relative_path) {}

  data build() {
    for (const auto& e : file_.enums) top_scope_.declare(capnp_type_name(e->name));
    for (const auto& m : file_.messages) top_scope_.declare(capnp_type_name(m->name));

    data messages{data::type::list};
    for (const auto& message : file_.messages) messages.push_back(message_view(*message, ""));
    data enums{data::type::list};
    for (const auto& e : file_.enums) enums.push_back(enum_view(*e, ""));
    data boxes{data::type::list};
    for (const auto& [name, value_type] : boxes_) {
      data box;
      box.set("name", name);
      box.set("value_type", value_type);
      boxes.push_back(box);
    }

    data view;
    view.set("source_name", file_.relative_path);
    view.set("file_id", fmt::format("0x{:016x}", capnp_file_id(file_)));
    view.set("enums", enums);
    view.set("messages", messages);
    view.set("optional_boxes", boxes);
    return view;
  }

 private:
  // Schema names resolve lexically, innermost scope first, so a same-file
  // reference is spelled from the file scope down ("Everything.Inner") and
  // must not start with a name that an enclosing message also declares.
  std::string same_file_ref(const std::vector<std::string>& path) const {
    for (const Scope* scope : enclosing_) {
      if (scope->declares(path.front())) {
        throw std::runtime_error(fmt::format("{}: in the Cap'n Proto schema, {} would name the {} nested in {}; "
                                             "rename one of them",
                                             file_.relative_path, dotted(path), path.front(), scope->where()));
      }
    }
    return dotted(path);
  }

  std::string decl_ref(const model::TypeDecl& decl) const {
    if (decl.file == &file_) return same_file_ref(schema_path(decl));
    const std::filesystem::path here = std::filesystem::path(capnp_path(file_)).parent_path();
    const std::filesystem::path there = capnp_path(*decl.file);
    return fmt::format("import \"{}\".{}", there.lexically_relative(here).generic_string(), dotted(schema_path(decl)));
  }

  // A type's schema spelling. Maps introduce Entry structs, collected into
  // `entries` (nested in the message) and named after the field: `name`
  // plus "Element" per list level and "Value" per map level.
  std::string type(const model::Type& type, const std::string& name, const std::string& scope_ref,
                   Scope& scope, data& entries) {
    switch (type.kind) {
      case model::Type::Kind::Scalar: return capnp_scalar(type.scalar);
      case model::Type::Kind::Enum: return decl_ref(*type.enumeration);
      case model::Type::Kind::Message: return decl_ref(*type.message);
      case model::Type::Kind::List:
        return "List(" + this->type(type.params.at(0), name + "Element", scope_ref, scope, entries) + ")";
      case model::Type::Kind::Map: {
        const std::string entry_name = name + "Entry";
        scope.claim(entry_name, "the entries of a map");
        data entry;
        entry.set("name", entry_name);
        entry.set("key_type", this->type(type.params.at(0), name + "Key", scope_ref, scope, entries));
        entry.set("value_type", this->type(type.params.at(1), name + "Value", scope_ref, scope, entries));
        entries.push_back(entry);
        return "List(" + scope_ref + "." + entry_name + ")";  // scope_ref checked by message_view
      }
    }
    return {};
  }

  // optional scalars and enums travel in a one-field struct shared by the file.
  std::string optional_box(const model::Type& type) {
    std::string name;
    std::string value_type;
    if (type.kind == model::Type::Kind::Enum) {
      std::string joined;
      for (const std::string& part : schema_path(*type.enumeration)) joined += part;
      name = "Optional" + joined;
      value_type = decl_ref(*type.enumeration);
    } else {
      name = "Optional" + capnp_scalar(type.scalar);
      value_type = capnp_scalar(type.scalar);
    }
    if (const auto [it, inserted] = boxes_.emplace(name, value_type); inserted) {
      top_scope_.claim(name, "optional " + value_type + " fields");
    } else if (it->second != value_type) {
      throw std::runtime_error(fmt::format("{}: two optional enum types both need the schema name {}; rename one",
                                           file_.relative_path, name));
    }
    return same_file_ref({name});
  }

  data message_view(const model::Message& message, const std::string& indent) {
    const std::string scope_ref = same_file_ref(schema_path(message));
    Scope scope("message " + message.full_name);
    for (const auto& e : message.enums) scope.declare(capnp_type_name(e->name));
    for (const auto& m : message.messages) scope.declare(capnp_type_name(m->name));
    enclosing_.push_back(&scope);

    // Ordinal N-1 for field number N; unused and reserved numbers become Void
    // placeholders because capnp ordinals must have no gaps.
    std::map<std::uint32_t, const model::Field*> by_number;
    for (const model::Field& field : message.fields) by_number[field.number] = &field;
    std::uint32_t last = by_number.empty() ? 0 : by_number.rbegin()->first;
    if (!message.reserved.empty()) last = std::max(last, message.reserved.back());

    std::set<std::string> field_names;
    for (const model::Field& field : message.fields) {
      if (!field_names.insert(capnp_field_name(field.name)).second) {
        throw std::runtime_error(fmt::format("{}: fields of {} map to the same schema name {}",
                                             file_.relative_path, message.full_name, capnp_field_name(field.name)));
      }
    }

    data entries{data::type::list};
    data fields{data::type::list};
    for (std::uint32_t number = 1; number <= last; ++number) {
      data view;
      view.set("ordinal", std::to_string(number - 1));
      const auto it = by_number.find(number);
      if (it == by_number.end()) {
        const bool reserved = std::binary_search(message.reserved.begin(), message.reserved.end(), number);
        std::string name = (reserved ? "reserved" : "unused") + std::to_string(number);
        while (!field_names.insert(name).second) name += "X";
        view.set("name", name);
        view.set("type", "Void");
        view.set("doc", data{data::type::list});
      } else {
        const model::Field& field = *it->second;
        const bool boxed_scalar = field.optional && field_lg_size(field.type, false) >= 0;
        view.set("name", capnp_field_name(field.name));
        view.set("type", boxed_scalar ? optional_box(field.type)
                                      : type(field.type, pascal_case(field.name), scope_ref, scope, entries));
        view.set("doc", doc_view(field.doc));
      }
      fields.push_back(view);
    }

    const std::string inner = indent + "  ";
    data nested{data::type::list};
    for (const auto& m : message.messages) nested.push_back(message_view(*m, inner));
    data enums{data::type::list};
    for (const auto& e : message.enums) enums.push_back(enum_view(*e, inner));

    enclosing_.pop_back();

    data view;
    view.set("indent", indent);
    view.set("name", capnp_type_name(message.name));
    view.set("doc", doc_view(message.doc));
    view.set("fields", fields);
    view.set("entries", entries);
    view.set("messages", nested);
    view.set("enums", enums);
    return view;
  }

  data enum_view(const model::Enum& e, const std::string& indent) {
    // Enumerants must be numbered 0, 1, 2... in the schema: unused values
    // in between get placeholder enumerants.
    std::map<std::uint16_t, const model::EnumValue*> by_value;
    for (const model::EnumValue& value : e.values) by_value[value.value] = &value;
    std::set<std::string> names;
    for (const model::EnumValue& value : e.values) {
      if (!names.insert(capnp_enumerant_name(value.name)).second) {
        throw std::runtime_error(fmt::format("{}: values of enum {} map to the same schema name {}",
                                             file_.relative_path, e.full_name, capnp_enumerant_name(value.name)));
      }
    }
    data values{data::type::list};
    const std::uint32_t last = by_value.empty() ? 0 : by_value.rbegin()->first;
    for (std::uint32_t number = 0; !by_value.empty() && number <= last; ++number) {
      data view;
      view.set("ordinal", std::to_string(number));
      const auto it = by_value.find(static_cast<std::uint16_t>(number));
      if (it == by_value.end()) {
        std::string name = "unused" + std::to_string(number);
        while (!names.insert(name).second) name += "X";
        view.set("name", name);
        view.set("doc", data{data::type::list});
      } else {
        view.set("name", capnp_enumerant_name(it->second->name));
        view.set("doc", doc_view(it->second->doc));
      }
      values.push_back(view);
    }
    data view;
    view.set("indent", indent);
    view.set("name", capnp_type_name(e.name));
    view.set("doc", doc_view(e.doc));
    view.set("values", values);
    return view;
  }

  const model::File& file_;
  Scope top_scope_;
  std::map<std::string, std::string> boxes_;  // Optional<Type> name -> value type
  std::vector<const Scope*> enclosing_;       // the messages around the field being spelled
};

}  // namespace

data capnp_view(const model::File& file) { return SchemaBuilder(file).build(); }

}  // namespace idlc::backend
