// Macros a generated C++ file may see. idlc keeps names as written, so an
// IDL name that is also a macro is replaced by the preprocessor and breaks
// the generated code (`enum class Status { EOF = 1 }`). The list, and why it
// is this list, is in docs/language.md ("Names that must work in C++").
#pragma once

#include <optional>
#include <string_view>

namespace idlc::frontend {

/// Where the macro `name` comes from ("<cstdio>", "predefined by GCC and
/// Clang"...), or nothing if `name` is not one of the macros idlc knows.
std::optional<std::string_view> cpp_macro_origin(std::string_view name);

}  // namespace idlc::frontend
