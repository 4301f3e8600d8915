#include "frontend/cpp_names.hpp"

#include <algorithm>
#include <array>

#include "frontend/scalars.hpp"

namespace idlc::frontend {
namespace {

// [lex.key] and [lex.digraph] of C++20; a linear search is cheap next to parsing.
constexpr std::array<std::string_view, 97> kCppKeywords = {
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
    // Not keywords, but macros every C++ translation unit may see.
    "NULL",         "assert",      "errno",        "stderr",       "stdin",
};

constexpr std::array<std::string_view, 12> kIdlKeywords = {
    "enum", "import", "list", "map", "message", "optional", "package", "reserved", "returns", "rpc", "service", "stream",
};

}  // namespace

bool is_cpp_keyword(std::string_view name) {
  return std::find(kCppKeywords.begin(), kCppKeywords.end(), name) != kCppKeywords.end();
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
