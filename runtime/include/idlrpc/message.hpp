// What makes a C++ type an idlrpc message, and how the runtime (and users)
// encode and decode one. The pieces live in wire/: traits.hpp
// (MessageTraits, the Message concept), error.hpp (DecodeError),
// fields.hpp (how each field type is encoded), debug.hpp (the debug form),
// serialize.hpp (to_bytes/from_bytes, included at the end: it builds on
// encode/decode below). Generated headers include this file only.
#pragma once

#include <exception>
#include <new>
#include <string>

#include <capnp/any.h>
#include <kj/exception.h>

#include "idlrpc/wire/box.hpp"
#include "idlrpc/wire/bytes.hpp"
#include "idlrpc/wire/debug.hpp"
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

#include "idlrpc/wire/serialize.hpp"  // NOLINT(misc-header-include-cycle): needs the above
