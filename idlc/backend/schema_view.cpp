// capnp_view(): the Cap'n Proto schema equivalent to one IDL file
// (docs/wire-format.md describes the mapping this implements).
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "backend/layout.hpp"
#include "backend/names.hpp"
#include "backend/views.hpp"

namespace idlc::backend {
namespace {

using kainjow::mustache::data;

using naming::capnp_scalar_name;
using naming::capnp_schema_path;

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const std::string& part : path) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

class SchemaBuilder {
 public:
  explicit SchemaBuilder(const model::File& file) : file_(file) {}

  data build() {
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
    view.set("cxx_namespace", capnp_cxx_namespace(file_));
    view.set("enums", enums);
    view.set("messages", messages);
    view.set("optional_boxes", boxes);
    return view;
  }

 private:
  // A same-file reference is spelled from the file scope down
  // ("Everything.Inner"). capnp resolves its first name from the innermost
  // scope outwards, so where a struct around the reference declares that
  // name too (IDL scoping allows it), the schema imports itself instead:
  // `import "everything.capnp".Everything.Inner` starts at the file scope.
  std::string same_file_ref(const std::vector<std::string>& path) const {
    for (const std::set<std::string>* scope : enclosing_) {
      if (scope->count(path.front()) != 0) {
        const std::string self = std::filesystem::path(capnp_path(file_)).filename().generic_string();
        return "import \"" + self + "\"." + dotted(path);
      }
    }
    return dotted(path);
  }

  std::string decl_ref(const model::TypeDecl& decl) const {
    if (decl.file == &file_) return same_file_ref(capnp_schema_path(decl));
    const std::filesystem::path here = std::filesystem::path(capnp_path(file_)).parent_path();
    const std::filesystem::path there = capnp_path(*decl.file);
    return fmt::format("import \"{}\".{}", there.lexically_relative(here).generic_string(), dotted(capnp_schema_path(decl)));
  }

  // A type's schema spelling. Maps introduce Entry structs, collected into
  // `entries` (nested in the message) and named after the field: `name`
  // plus "Element" per list level and "Value" per map level.
  std::string type(const model::Type& type, const std::string& name, const std::string& scope_ref, data& entries) {
    switch (type.kind) {
      case model::Type::Kind::Scalar: return capnp_scalar_name(type.scalar);
      case model::Type::Kind::Enum: return decl_ref(*type.enumeration);
      case model::Type::Kind::Message: return decl_ref(*type.message);
      case model::Type::Kind::List:
        return "List(" + this->type(type.params.at(0), name + "Element", scope_ref, entries) + ")";
      case model::Type::Kind::Map: {
        const std::string entry_name = name + "Entry";
        data entry;
        entry.set("name", entry_name);
        entry.set("key_type", this->type(type.params.at(0), name + "Key", scope_ref, entries));
        entry.set("value_type", this->type(type.params.at(1), name + "Value", scope_ref, entries));
        entries.push_back(entry);
        return "List(" + scope_ref + "." + entry_name + ")";
      }
    }
    return {};
  }

  // The Entry structs type() declares for a field of this type.
  static void add_entry_names(const model::Type& type, const std::string& name, std::set<std::string>& names) {
    if (type.kind == model::Type::Kind::List) {
      add_entry_names(type.params.at(0), name + "Element", names);
    } else if (type.kind == model::Type::Kind::Map) {
      names.insert(name + "Entry");
      add_entry_names(type.params.at(1), name + "Value", names);
    }
  }

  // optional scalars and enums travel in a one-field struct shared by the file.
  std::string optional_box(const model::Type& type) {
    const std::string name = naming::capnp_optional_box_name(type);
    if (boxes_.count(name) == 0) {
      // The box is declared at the top of the file: nothing around it.
      std::vector<const std::set<std::string>*> enclosing;
      std::swap(enclosing, enclosing_);
      boxes_.emplace(name, type.kind == model::Type::Kind::Enum ? decl_ref(*type.enumeration)
                                                                : capnp_scalar_name(type.scalar));
      std::swap(enclosing, enclosing_);
    }
    return same_file_ref({name});
  }

  // The placeholder of `reserved T N;`: a field of T's size, so the slot
  // stays allocated. Pointers of any kind are AnyPointer, enums UInt16.
  static std::string reserved_slot_type(const model::Field& reserved) {
    const int lg_size = field_lg_size(reserved.type, reserved.optional);
    if (lg_size < 0) return "AnyPointer";
    if (reserved.type.kind == model::Type::Kind::Enum) return "UInt16";
    return capnp_scalar_name(reserved.type.scalar);
  }

  data message_view(const model::Message& message, const std::string& indent) {
    // What this struct declares: nested types and map Entry structs.
    std::set<std::string> declared;
    for (const auto& e : message.enums) declared.insert(capnp_type_name(e->name));
    for (const auto& m : message.messages) declared.insert(capnp_type_name(m->name));
    for (const model::Field& field : message.fields) {
      if (!(field.optional && naming::needs_optional_box(field.type))) {
        add_entry_names(field.type, pascal_case(field.name), declared);
      }
    }
    enclosing_.push_back(&declared);
    const std::string scope_ref = same_file_ref(capnp_schema_path(message));

    // Ordinal N-1 for field number N; unused and reserved numbers become Void
    // placeholders because capnp ordinals must have no gaps.
    std::map<std::uint32_t, const model::Field*> by_number;
    for (const model::Field& field : message.fields) by_number[field.number] = &field;
    std::map<std::uint32_t, const model::Field*> reserved_slots;
    for (const model::Field& field : message.reserved_fields) reserved_slots[field.number] = &field;
    std::uint32_t last = by_number.empty() ? 0 : by_number.rbegin()->first;
    if (!message.reserved.empty()) last = std::max(last, message.reserved.back());

    std::set<std::string> field_names;
    for (const model::Field& field : message.fields) field_names.insert(capnp_field_name(field.name));

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
        const auto slot = reserved_slots.find(number);
        view.set("type", slot == reserved_slots.end() ? "Void" : reserved_slot_type(*slot->second));
        view.set("doc", data{data::type::list});
      } else {
        const model::Field& field = *it->second;
        const bool boxed_scalar = field.optional && naming::needs_optional_box(field.type);
        view.set("name", capnp_field_name(field.name));
        view.set("type", boxed_scalar ? optional_box(field.type)
                                      : type(field.type, pascal_case(field.name), scope_ref, entries));
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
    for (const model::EnumValue& value : e.values) names.insert(capnp_enumerant_name(value.name));
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
  std::map<std::string, std::string> boxes_;  // Optional<Type> name -> value type
  std::vector<const std::set<std::string>*> enclosing_;  // names declared by the structs around
};

}  // namespace

data capnp_view(const model::File& file) { return SchemaBuilder(file).build(); }

}  // namespace idlc::backend
