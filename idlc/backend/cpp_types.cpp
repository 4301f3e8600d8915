#include "backend/cpp_types.hpp"

#include "backend/names.hpp"

namespace idlc::backend {

std::string CppTypeSpeller::decl_name(const model::TypeDecl& decl) const {
  if (decl.file != &file_) return cpp_qualified_name(decl);
  std::string flat = cpp_flat_name(decl);
  return class_scope_.count(flat) != 0 ? cpp_qualified_name(decl) : flat;
}

std::string CppTypeSpeller::scalar(model::Scalar scalar) {
  switch (scalar) {
    case model::Scalar::Bool: return "bool";
    case model::Scalar::Float32: return "float";
    case model::Scalar::Float64: return "double";
    case model::Scalar::String:
      std_headers_.insert("string");
      return "std::string";
    case model::Scalar::Bytes:
      idlrpc_headers_.insert("wire/bytes.hpp");
      return "idlrpc::Bytes";
    default: break;
  }
  std_headers_.insert("cstdint");
  switch (scalar) {
    case model::Scalar::Int8: return "std::int8_t";
    case model::Scalar::Int16: return "std::int16_t";
    case model::Scalar::Int32: return "std::int32_t";
    case model::Scalar::Int64: return "std::int64_t";
    case model::Scalar::UInt8: return "std::uint8_t";
    case model::Scalar::UInt16: return "std::uint16_t";
    case model::Scalar::UInt32: return "std::uint32_t";
    default: return "std::uint64_t";
  }
}

std::string CppTypeSpeller::type(const model::Type& type, bool boxed) {
  switch (type.kind) {
    case model::Type::Kind::Scalar:
      return scalar(type.scalar);
    case model::Type::Kind::Enum:
      return decl_name(*type.enumeration);
    case model::Type::Kind::Message:
      if (!boxed) return decl_name(*type.message);
      idlrpc_headers_.insert("wire/box.hpp");
      return "idlrpc::Box<" + decl_name(*type.message) + ">";
    case model::Type::Kind::List:
      std_headers_.insert("vector");
      return "std::vector<" + this->type(type.params.at(0)) + ">";
    case model::Type::Kind::Map:
      std_headers_.insert("map");
      return "std::map<" + this->type(type.params.at(0)) + ", " + this->type(type.params.at(1), boxed) + ">";
  }
  return {};
}

std::string CppTypeSpeller::data_type(const model::Type& type) {
  return type.kind == model::Type::Kind::Enum ? cpp_qualified_name(*type.enumeration) : this->type(type);
}

std::string CppTypeSpeller::field_type(const model::Field& field, bool boxed) {
  std::string spelled = type(field.type, boxed);
  if (!field.optional) return spelled;
  std_headers_.insert("optional");
  return "std::optional<" + spelled + ">";
}

}  // namespace idlc::backend
