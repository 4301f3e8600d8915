// What a generated messages header names from the encoding layer, and no
// more: the MessageTraits template it specializes, the StructSize it fills
// in, and the two section views its encode/decode declarations take.
// Standard library only, so that a file using only message types never
// parses Cap'n Proto (wire/struct.hpp defines the views; traits.hpp the
// Message concept).
#pragma once

#include <cstdint>

namespace idlrpc {

/// Specialized by generated code for each message type (see wire/traits.hpp).
template <class T>
struct MessageTraits;

}  // namespace idlrpc

namespace idlrpc::wire {

/// A struct's size as Cap'n Proto counts it: 64-bit data words, then pointers.
struct StructSize {
  std::uint16_t data_words = 0;
  std::uint16_t pointers = 0;
};

class StructBuilder;  // wire/struct.hpp
class StructReader;   // wire/struct.hpp

}  // namespace idlrpc::wire
