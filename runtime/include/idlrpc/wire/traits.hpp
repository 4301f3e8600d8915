// MessageTraits, the one customization point that makes a C++ type an
// idlrpc message, and the Message concept over it. idlc specializes
// MessageTraits for every message it generates; nothing else in the
// library knows a message's fields. Included by idlrpc/wire/codec.hpp.
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "idlrpc/wire/struct.hpp"

namespace idlrpc {

/// Specialized by generated code for each message type T:
///
///   template <> struct idlrpc::MessageTraits<T> {
///     static constexpr std::string_view kFullName = "pkg.T";
///     static constexpr wire::StructSize kStructSize{data_words, pointers};
///     static void encode(const T& value, wire::StructBuilder out);
///     static void decode(wire::StructReader in, T& out);   // may throw
///     static void print(const T& value, std::string& out); // debug form
///   };
///
/// (The template itself is declared in wire/declarations.hpp, which the
/// generated messages headers include instead of this file.)

/// A type idlc generated from a `message` declaration.
template <class T>
concept Message = requires(const T& value, T& out, wire::StructBuilder builder,
                           wire::StructReader reader) {
  { MessageTraits<T>::kFullName } -> std::convertible_to<std::string_view>;
  { MessageTraits<T>::kStructSize } -> std::convertible_to<wire::StructSize>;
  MessageTraits<T>::encode(value, builder);
  MessageTraits<T>::decode(reader, out);
};

}  // namespace idlrpc
