// The C++ type of the IDL's `bytes`.
#pragma once

#include <cstdint>
#include <vector>

namespace idlrpc {

/// `bytes` in C++: a vector of octets. On the wire it is Cap'n Proto Data,
/// which is encoded exactly like List(UInt8), so `bytes` and `list<uint8>`
/// share this type without ambiguity. std::string stays reserved for
/// `string` (Text, which carries a NUL terminator on the wire).
using Bytes = std::vector<std::uint8_t>;

}  // namespace idlrpc
