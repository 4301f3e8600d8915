// How a message is encoded and decoded: wire::encode and wire::decode over
// Cap'n Proto pointers, with what they build on: traits.hpp (MessageTraits,
// the Message concept), error.hpp (DecodeError), fields.hpp (how each field
// type is encoded), debug_writer.hpp (the generated print functions' writer).
// What the generated .cpp and the runtime's call templates need; message.hpp
// adds the debug form for people (fmt) and to_bytes/from_bytes.
#pragma once

#include <exception>
#include <new>
#include <string>

#include <capnp/any.h>
#include <kj/exception.h>

#include "idlrpc/wire/box.hpp"
#include "idlrpc/wire/bytes.hpp"
#include "idlrpc/wire/debug_writer.hpp"
#include "idlrpc/wire/error.hpp"
#include "idlrpc/wire/fields.hpp"
#include "idlrpc/wire/struct.hpp"
#include "idlrpc/wire/traits.hpp"

namespace idlrpc::wire {

namespace detail {

// kj's description of a failed check, printable: it may quote a NUL byte.
inline std::string describe(const kj::Exception& e) {
  const kj::StringPtr description = e.getDescription();
  std::string out;
  for (const char c : description) {
    if (c == '\0') {
      out += "\\0";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace detail

/// Encodes `value` as a struct in `slot` (a root or any pointer field).
template <Message T>
void encode(capnp::AnyPointer::Builder slot, const T& value) {
  detail::Pointer<T>::write(slot, value);
}

/// Decodes the struct in `slot` into `out`. A null slot decodes as the
/// message with every field at its default. Throws DecodeError.
template <Message T>
void decode(capnp::AnyPointer::Reader slot, T& out) {
  try {
    detail::Pointer<T>::read(slot, out);
  } catch (const DecodeError& e) {
    throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": " + e.what());
  } catch (const kj::Exception& e) {  // libcapnp's pointer, bounds and limit checks
    throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": " + detail::describe(e));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": " + e.what());
  }
}

}  // namespace idlrpc::wire
