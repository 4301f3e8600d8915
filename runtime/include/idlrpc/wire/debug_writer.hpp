// The readable debug form of messages and enums:
//   TeamResponse{name: "Lyon", ids: [1, 2], coach: null, stats: Stats{wins: 3}}
// Generated MessageTraits<T>::print writes one DebugWriter::field per
// field; this file knows how each field type prints. Strings are quoted
// and escaped, bytes print as hex, unknown enum values as their number.
//
// Numbers and strings are formatted by {fmt} ("{}" and "{:?}"), called from
// functions compiled once in the wire library (src/wire/debug_text.cpp):
// the generated .cpp, which prints every field, then parses no fmt and
// instantiates none of it (issue 18). debug.hpp adds fmt::format("{}", msg).
#pragma once

#include <concepts>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "idlrpc/wire/box.hpp"
#include "idlrpc/wire/bytes.hpp"
#include "idlrpc/wire/traits.hpp"

namespace idlrpc::wire {

namespace detail {

// Compiled in the wire library, with {fmt}: exactly fmt::format("{}", value)
// and, for append_quoted, fmt::format("{:?}", value), appended to `out`.
void append_number(std::string& out, long long value);
void append_number(std::string& out, unsigned long long value);
void append_number(std::string& out, float value);
void append_number(std::string& out, double value);
void append_quoted(std::string& out, std::string_view value);

/// `value` as fmt's "{}" prints it: integers of every width as numbers
/// (int8 and uint8 too, not as characters), floats in their shortest form.
template <class T>
  requires std::is_arithmetic_v<T>
void append_arithmetic(std::string& out, T value) {
  if constexpr (std::is_floating_point_v<T>) {
    append_number(out, value);
  } else if constexpr (std::is_signed_v<T>) {
    append_number(out, static_cast<long long>(value));
  } else {
    append_number(out, static_cast<unsigned long long>(value));
  }
}

template <class T>
struct Printer;

template <class T>
void print_value(std::string& out, const T& value) {
  Printer<T>::print(out, value);
}

template <class T>
  requires std::is_arithmetic_v<T>
struct Printer<T> {
  static void print(std::string& out, T value) {
    if constexpr (std::is_same_v<T, bool>) {
      out += value ? "true" : "false";
    } else {
      append_arithmetic(out, value);
    }
  }
};

// Generated enums come with `std::string_view enum_name(E)`, found by ADL;
// it returns "" for a value this build does not know (sent by a newer peer).
template <class T>
concept NamedEnum = std::is_enum_v<T> && requires(T value) {
  { enum_name(value) } -> std::convertible_to<std::string_view>;
};

template <NamedEnum T>
struct Printer<T> {
  static void print(std::string& out, T value) {
    const std::string_view name = enum_name(value);
    if (name.empty()) {
      append_arithmetic(out, static_cast<std::underlying_type_t<T>>(value));
    } else {
      out += name;
    }
  }
};

template <>
struct Printer<std::string> {
  static void print(std::string& out, const std::string& value) { append_quoted(out, value); }
};

template <>
struct Printer<Bytes> {
  static void print(std::string& out, const Bytes& value) {
    out += "0x\"";
    constexpr std::string_view kHex = "0123456789abcdef";
    for (const std::uint8_t byte : value) {
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
    out += '"';
  }
};

template <class E>
struct Printer<std::vector<E>> {
  static void print(std::string& out, const std::vector<E>& value) {
    out += '[';
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i != 0) out += ", ";
      print_value<E>(out, value[i]);
    }
    out += ']';
  }
};

template <class K, class V>
struct Printer<std::map<K, V>> {
  static void print(std::string& out, const std::map<K, V>& value) {
    out += '{';
    bool first = true;
    for (const auto& [key, mapped] : value) {
      if (!first) out += ", ";
      first = false;
      print_value(out, key);
      out += ": ";
      print_value(out, mapped);
    }
    out += '}';
  }
};

template <class T>
struct Printer<std::optional<T>> {
  static void print(std::string& out, const std::optional<T>& value) {
    if (value) {
      print_value(out, *value);
    } else {
      out += "null";
    }
  }
};

template <class T>
struct Printer<Box<T>> {
  static void print(std::string& out, const Box<T>& value) { print_value(out, *value); }
};

template <Message T>
struct Printer<T> {
  static void print(std::string& out, const T& value) { MessageTraits<T>::print(value, out); }
};

}  // namespace detail

/// Writes `Name{field: value, ...}`; generated print functions use it.
class DebugWriter {
 public:
  DebugWriter(std::string& out, std::string_view type_name) : out_(out) {
    out_ += type_name;
    out_ += '{';
  }
  template <class T>
  void field(std::string_view name, const T& value) {
    if (!first_) out_ += ", ";
    first_ = false;
    out_ += name;
    out_ += ": ";
    detail::print_value(out_, value);
  }
  void finish() { out_ += '}'; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace idlrpc::wire

