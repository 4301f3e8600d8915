// Spelling of IDL types as C++ types in generated code.
#pragma once

#include <set>
#include <string>

#include "model/model.hpp"

namespace idlc::backend {

/// Spells types as seen from inside the namespace of `file`: its own types
/// by their flat name, other files' types fully qualified. Records the
/// standard headers the spelled types need.
class CppTypeSpeller {
 public:
  explicit CppTypeSpeller(const model::File& file) : file_(file) {}

  /// The member type of a field; `boxed` wraps its message type in idlrpc::Box.
  std::string field_type(const model::Field& field, bool boxed);
  std::string type(const model::Type& type, bool boxed = false);
  std::string decl_name(const model::TypeDecl& decl) const;

  /// Names declared in the class whose members are being spelled (nested
  /// type aliases, fields, methods). A type whose name is among them is
  /// spelled fully qualified, since the class's own name would win.
  void set_class_scope(std::set<std::string> names) { class_scope_ = std::move(names); }
  /// A scalar or enum type as seen from outside any namespace (the
  /// MessageTraits definitions in the source file).
  std::string data_type(const model::Type& type);

  /// Standard headers needed by what was spelled so far: "cstdint", "map"...
  const std::set<std::string>& std_headers() const { return std_headers_; }
  /// idlrpc headers needed by what was spelled so far: "wire/box.hpp", "wire/bytes.hpp".
  const std::set<std::string>& idlrpc_headers() const { return idlrpc_headers_; }

 private:
  std::string scalar(model::Scalar scalar);

  const model::File& file_;
  std::set<std::string> std_headers_;
  std::set<std::string> idlrpc_headers_;
  std::set<std::string> class_scope_;
};

}  // namespace idlc::backend
