// Which names would break once idlc maps them to C++ (back end: names are
// kept as written), and which the IDL keeps for itself.
#pragma once

#include <string_view>

namespace idlc::frontend {

/// C++20 keywords and alternative operator tokens (`and`, `xor`, ...).
bool is_cpp_keyword(std::string_view name);

/// The namespaces generated code refers to (`std`, `idlrpc`, `fmt`, ...): a
/// type or package segment of that name would hide or clash with them.
bool is_used_namespace(std::string_view name);

/// Names the C++ standard reserves for the implementation: any containing
/// "__", or starting with '_' and an uppercase letter.
bool is_cpp_reserved(std::string_view name);

/// Built-in type names (`int32`, `string`, `list`, ...) and the IDL's
/// keywords (with protobuf's `oneof` and `repeated`): a message or enum
/// named like one could not be referred to.
bool is_idl_reserved_word(std::string_view name);

}  // namespace idlc::frontend
