#include "naming/capnp_names.hpp"

#include <algorithm>
#include <cctype>

namespace idlc::naming {
namespace {

char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Joins the '_'-separated words of `name`, each word capitalized.
std::string join_words_capitalized(std::string_view name, bool lower_rest) {
  std::string out;
  bool start_of_word = true;
  for (const char c : name) {
    if (c == '_') {
      start_of_word = true;
      continue;
    }
    out += start_of_word ? upper(c) : (lower_rest ? lower(c) : c);
    start_of_word = false;
  }
  return out;
}

}  // namespace

std::string pascal_case(std::string_view name) { return join_words_capitalized(name, false); }

std::string capnp_type_name(std::string_view name) { return pascal_case(name); }

std::string capnp_field_name(std::string_view name) {
  std::string out = pascal_case(name);
  if (!out.empty()) out[0] = lower(out[0]);
  return out;
}

std::string capnp_enumerant_name(std::string_view name) {
  const bool all_caps = std::none_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
  std::string out = join_words_capitalized(name, all_caps);
  if (!out.empty()) out[0] = lower(out[0]);
  return out;
}

std::string capnp_scalar_name(model::Scalar scalar) {
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

std::vector<std::string> capnp_schema_path(const model::TypeDecl& decl) {
  std::vector<std::string> path{capnp_type_name(decl.name)};
  for (const model::Message* parent = decl.parent; parent != nullptr; parent = parent->parent) {
    path.push_back(capnp_type_name(parent->name));
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::string capnp_optional_box_name(const model::Type& type) {
  std::string name = "Optional";
  if (type.kind == model::Type::Kind::Enum) {
    for (const std::string& part : capnp_schema_path(*type.enumeration)) name += part;
  } else {
    name += capnp_scalar_name(type.scalar);
  }
  return name;
}

bool needs_optional_box(const model::Type& type) {
  return type.kind == model::Type::Kind::Enum ||
         (type.kind == model::Type::Kind::Scalar && type.scalar != model::Scalar::String &&
          type.scalar != model::Scalar::Bytes);
}

}  // namespace idlc::naming
