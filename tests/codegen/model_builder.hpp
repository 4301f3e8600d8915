// Builds idlc::model::Programs by hand, the way the front end would from
// IDL text, so back-end tests do not depend on the parser.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/model.hpp"

namespace codegen_test {

namespace model = idlc::model;

inline model::File& add_file(model::Program& program, std::string relative_path, std::vector<std::string> package,
                             std::vector<const model::File*> imports = {}) {
  auto file = std::make_unique<model::File>();
  file->path = relative_path;
  file->relative_path = std::move(relative_path);
  file->package = std::move(package);
  file->imports = std::move(imports);
  program.files.push_back(std::move(file));
  return *program.files.back();
}

inline std::string full_name_of(const model::File& file, const model::Message* parent, const std::string& name) {
  std::string prefix;
  if (parent != nullptr) {
    prefix = parent->full_name + ".";
  } else {
    for (const std::string& part : file.package) prefix += part + ".";
  }
  return prefix + name;
}

template <class Decl>
void init_decl(Decl& decl, const model::File& file, const model::Message* parent, std::string name, std::string doc) {
  decl.full_name = full_name_of(file, parent, name);
  decl.name = std::move(name);
  decl.file = &file;
  decl.parent = parent;
  decl.doc = std::move(doc);
}

/// A message at file level (parent null) or nested in `parent`.
inline model::Message& add_message(model::File& file, std::string name, model::Message* parent = nullptr,
                                   std::string doc = {}) {
  auto message = std::make_unique<model::Message>();
  init_decl(*message, file, parent, std::move(name), std::move(doc));
  auto& owner = parent != nullptr ? parent->messages : file.messages;
  owner.push_back(std::move(message));
  return *owner.back();
}

inline model::Enum& add_enum(model::File& file, std::string name,
                             std::vector<std::pair<std::string, std::uint16_t>> values,
                             model::Message* parent = nullptr, std::string doc = {}) {
  auto e = std::make_unique<model::Enum>();
  init_decl(*e, file, parent, std::move(name), std::move(doc));
  for (auto& [value_name, value] : values) e->values.push_back({std::move(value_name), value, {}, {}});
  auto& owner = parent != nullptr ? parent->enums : file.enums;
  owner.push_back(std::move(e));
  return *owner.back();
}

inline model::Type scalar(model::Scalar s) { return model::Type{model::Type::Kind::Scalar, s, nullptr, nullptr, {}}; }
inline model::Type enum_type(const model::Enum& e) {
  return model::Type{model::Type::Kind::Enum, model::Scalar::Bool, &e, nullptr, {}};
}
inline model::Type message_type(const model::Message& m) {
  return model::Type{model::Type::Kind::Message, model::Scalar::Bool, nullptr, &m, {}};
}
inline model::Type list_of(model::Type element) {
  return model::Type{model::Type::Kind::List, model::Scalar::Bool, nullptr, nullptr, {std::move(element)}};
}
inline model::Type map_of(model::Type key, model::Type value) {
  return model::Type{model::Type::Kind::Map, model::Scalar::Bool, nullptr, nullptr, {std::move(key), std::move(value)}};
}

inline model::Field& add_field(model::Message& message, std::string name, std::uint32_t number, model::Type type,
                               bool optional = false, std::string doc = {}) {
  message.fields.push_back(model::Field{std::move(name), number, std::move(type), optional, std::move(doc), {}});
  return message.fields.back();
}

}  // namespace codegen_test
