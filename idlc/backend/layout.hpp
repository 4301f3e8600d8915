// Cap'n Proto struct layout, computed the way the capnp compiler does it
// (capnp/compiler/node-translator.c++, StructLayout::Top): fields are
// placed in ordinal order, data fields take the smallest free hole that
// fits (splitting larger ones) or grow the data section by a word, and
// pointers take the next pointer slot. A field's position therefore depends
// only on the fields with lower numbers, which is what makes appending
// fields safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/model.hpp"

namespace idlc::backend {

/// Where one field lives.
struct Slot {
  enum class Kind { Bit, Data, Pointer };
  Kind kind = Kind::Data;
  /// log2 of the width in bits for Bit (0) and Data (3..6).
  int lg_size = 0;
  /// Bit: bit index. Data: offset in multiples of the field's width (what
  /// capnp prints as bits[offset << lg_size, ...)). Pointer: pointer index.
  std::uint32_t offset = 0;
};

/// The allocator for one struct. Add fields in ordinal order.
class StructLayout {
 public:
  /// A data field of 2^lg_size bits, lg_size 0 (bool) .. 6 (64-bit).
  /// (Void fields take no space and need no call.)
  Slot add_data(int lg_size);
  Slot add_pointer();

  std::uint16_t data_words() const { return data_words_; }
  std::uint16_t pointers() const { return pointers_; }

 private:
  std::optional<std::uint32_t> try_allocate_hole(int lg_size);
  void add_holes_at_end(int lg_size, std::uint32_t offset);

  // holes_[n]: offset (in units of 2^n bits) of the one free hole of that
  // size, 0 for none (a hole never starts at offset 0). Holes are 1..32 bits.
  std::array<std::uint32_t, 6> holes_{};
  std::uint16_t data_words_ = 0;
  std::uint16_t pointers_ = 0;
};

/// How a field of this type and optionality is stored: -1 for a pointer,
/// else log2 of its width in bits (bool 0, 8-bit 3, ..., 64-bit 6; enums 4).
int field_lg_size(const model::Type& type, bool optional);

/// A message's layout: one slot per field, in the message's declaration
/// order. Typed reservations (Message::reserved_fields) take their slots
/// but have no entry.
struct MessageLayout {
  std::vector<Slot> fields;
  std::uint16_t data_words = 0;
  std::uint16_t pointers = 0;
};

MessageLayout layout_message(const model::Message& message);

/// Lays out fields given as (number, lg_size) in any order; used for
/// messages and for the Entry structs of maps.
MessageLayout layout_fields(const std::vector<std::pair<std::uint32_t, int>>& fields);

}  // namespace idlc::backend
