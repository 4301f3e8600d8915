// What makes a C++ type an idlrpc message, and how the runtime (and users)
// encode and decode one. idlc specializes MessageTraits for every message
// it generates; nothing else in the library knows a message's fields.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include <capnp/any.h>

#include "idlrpc/wire/struct.hpp"

namespace idlrpc {

/// Specialized by generated code for each message type T:
///
///   template <> struct idlrpc::MessageTraits<T> {
///     static constexpr std::string_view kFullName = "pkg.T";
///     static constexpr wire::StructSize kStructSize{data_words, pointers};
///     static void encode(const T& value, wire::StructBuilder out);
///     static void decode(wire::StructReader in, T& out);   // may throw
///   };
template <class T>
struct MessageTraits;

/// A type idlc generated from a `message` declaration.
template <class T>
concept Message = requires(const T& value, T& out, wire::StructBuilder builder,
                           wire::StructReader reader) {
  { MessageTraits<T>::kFullName } -> std::convertible_to<std::string_view>;
  { MessageTraits<T>::kStructSize } -> std::convertible_to<wire::StructSize>;
  MessageTraits<T>::encode(value, builder);
  MessageTraits<T>::decode(reader, out);
};

namespace wire {

/// A received message that does not decode: a bad pointer, a limit
/// exceeded, a wrong kind of object where a field expects another. The
/// runtime turns it into a status; it is never undefined behaviour.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Encodes `value` as a struct in `slot` (a root or any pointer field).
template <Message T>
void encode(capnp::AnyPointer::Builder slot, const T& value) {
  constexpr StructSize size = MessageTraits<T>::kStructSize;
  MessageTraits<T>::encode(value, StructBuilder(slot.initAsAnyStruct(size.data_words, size.pointers)));
}

/// Decodes the struct in `slot` into `out`. A null slot decodes as the
/// message with every field at its default. Throws DecodeError.
template <Message T>
void decode(capnp::AnyPointer::Reader slot, T& out) {
  try {
    if (slot.isNull()) {
      out = T{};
      return;
    }
    if (!slot.isStruct()) throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": expected a struct");
    MessageTraits<T>::decode(StructReader(slot.getAs<capnp::AnyStruct>()), out);
  } catch (const DecodeError&) {
    throw;
  } catch (const std::exception& e) {  // kj::Exception from libcapnp's bounds and limit checks
    throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": " + e.what());
  }
}

}  // namespace wire
}  // namespace idlrpc
