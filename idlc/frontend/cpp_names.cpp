#include "frontend/cpp_names.hpp"

#include <algorithm>
#include <array>

#include "frontend/scalars.hpp"

namespace idlc::frontend {
namespace {

// [lex.key] and [lex.digraph] of C++20; a linear search is cheap next to parsing.
constexpr std::array<std::string_view, 92> kCppKeywords = {
    "alignas",      "alignof",     "and",          "and_eq",       "asm",
    "auto",         "bitand",      "bitor",        "bool",         "break",
    "case",         "catch",       "char",         "char16_t",     "char32_t",
    "char8_t",      "class",       "co_await",     "co_return",    "co_yield",
    "compl",        "concept",     "const",        "const_cast",   "consteval",
    "constexpr",    "constinit",   "continue",     "decltype",     "default",
    "delete",       "do",          "double",       "dynamic_cast", "else",
    "enum",         "explicit",    "export",       "extern",       "false",
    "float",        "for",         "friend",       "goto",         "if",
    "inline",       "int",         "long",         "mutable",      "namespace",
    "new",          "noexcept",    "not",          "not_eq",       "nullptr",
    "operator",     "or",          "or_eq",        "private",      "protected",
    "public",       "register",    "reinterpret_cast", "requires", "return",
    "short",        "signed",      "sizeof",       "static",       "static_assert",
    "static_cast",  "struct",      "switch",       "template",     "this",
    "thread_local", "throw",       "true",         "try",          "typedef",
    "typeid",       "typename",    "union",        "unsigned",     "using",
    "virtual",      "void",        "volatile",     "wchar_t",      "while",
    "xor",          "xor_eq",
};

// The IDL's keywords, and "oneof" and "repeated", which the parser
// recognises only to explain their IDL equivalents (list<T>, optional).
constexpr std::array<std::string_view, 14> kIdlKeywords = {
    "enum",     "import",   "list",    "map", "message", "oneof",   "optional",
    "package",  "repeated", "reserved", "returns", "rpc", "service", "stream",
};

// The namespaces generated code and the headers it includes refer to by
// name: the standard library, the runtime, {fmt}, Cap'n Proto and its KJ,
// and the one capnp's C++ for the emitted schemas lives in.
constexpr std::array<std::string_view, 6> kUsedNamespaces = {"std", "idlrpc", "fmt", "capnp", "kj", "idlrpc_capnp"};

}  // namespace

bool is_cpp_keyword(std::string_view name) {
  return std::find(kCppKeywords.begin(), kCppKeywords.end(), name) != kCppKeywords.end();
}

bool is_used_namespace(std::string_view name) {
  return std::find(kUsedNamespaces.begin(), kUsedNamespaces.end(), name) != kUsedNamespaces.end();
}

bool is_cpp_reserved(std::string_view name) {
  return name.find("__") != std::string_view::npos ||
         (name.size() >= 2 && name[0] == '_' && name[1] >= 'A' && name[1] <= 'Z');
}

bool is_idl_reserved_word(std::string_view name) {
  return scalar_named(name).has_value() ||
         std::find(kIdlKeywords.begin(), kIdlKeywords.end(), name) != kIdlKeywords.end();
}

}  // namespace idlc::frontend
