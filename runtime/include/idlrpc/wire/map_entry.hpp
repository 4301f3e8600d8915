// Where a map entry's key and value sit inside its Entry struct.
//
// A map<K, V> field is a List(Entry) with Entry = struct { key @0 :K;
// value @1 :V; }. idlc lays Entry out with its general allocator (a port of
// capnp's StructLayout) for the schema it emits; here the same answer for
// the two-field case is derived at compile time from K and V, so the
// generic map codec needs no per-map generated code. tests/codegen checks
// that both agree for every key/value kind, and that capnp agrees.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "idlrpc/wire/struct.hpp"

namespace idlrpc::wire {

/// A field's position in a struct: the bit index for a bool, the offset in
/// multiples of the field's size for other data, the index for a pointer.
struct SlotPosition {
  std::uint32_t offset = 0;
};

struct EntryLayout {
  SlotPosition key;
  SlotPosition value;
  StructSize size;
};

/// Cap'n Proto's size class of a field: log2 of its width in bits for data
/// (bool 0 ... 64-bit 6), or -1 for anything that takes a pointer.
template <class T>
constexpr int slot_lg_size() {
  if constexpr (std::is_same_v<T, bool>) {
    return 0;
  } else if constexpr (std::is_arithmetic_v<T> || std::is_enum_v<T>) {
    return sizeof(T) == 1 ? 3 : sizeof(T) == 2 ? 4 : sizeof(T) == 4 ? 5 : 6;
  } else {
    return -1;
  }
}

/// The Entry layout: the key takes the first slot of its section. A data
/// value lands right after a data key, at max(key width, value width) bits,
/// which is where capnp's hole allocator puts the second field of a struct
/// (the key leaves holes up to the word's end, aligned to their size).
template <class K, class V>
constexpr EntryLayout entry_layout() {
  constexpr int key = slot_lg_size<K>();
  constexpr int value = slot_lg_size<V>();
  EntryLayout layout;
  std::uint32_t data_bits = 0;
  std::uint16_t pointers = 0;
  if constexpr (key < 0) {
    layout.key.offset = pointers++;
  } else {
    data_bits = 1u << key;
  }
  if constexpr (value < 0) {
    layout.value.offset = pointers++;
  } else {
    const std::uint32_t value_bit = data_bits == 0 ? 0 : std::max(data_bits, 1u << value);
    layout.value.offset = value_bit >> value;
    data_bits = value_bit + (1u << value);
  }
  layout.size = StructSize{static_cast<std::uint16_t>((data_bits + 63) / 64), pointers};
  return layout;
}

}  // namespace idlrpc::wire
