// The one error decoding raises. Included by idlrpc/wire/codec.hpp.
#pragma once

#include <stdexcept>

namespace idlrpc::wire {

/// A received message that does not decode: a bad pointer, a limit
/// exceeded, a wrong kind of object where a field expects another. The
/// runtime turns it into a status; it is never undefined behaviour.
class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace idlrpc::wire
