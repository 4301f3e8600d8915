// Typed access to one Cap'n Proto struct's data and pointer sections, at
// the offsets idlc computed. This is the layer generated encode/decode
// functions are written against; it hides libcapnp's "any" API and byte
// order, and nothing else.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include <capnp/any.h>

#include "idlrpc/wire/declarations.hpp"

namespace idlrpc::wire {

/// Scalars the data section holds: integers, floats and enums (as their
/// 16-bit underlying value). Bools are bits and have their own accessors.
template <class T>
concept DataScalar = (std::is_arithmetic_v<T> || std::is_enum_v<T>) && !std::is_same_v<T, bool>;

namespace detail {

// Cap'n Proto is little-endian on the wire. On little-endian hosts this is
// a plain copy; elsewhere the bytes are reversed.
template <class T>
inline void store_le(std::byte* at, T value) noexcept {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(at, &value, sizeof(T));
  } else {
    std::byte bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    for (std::size_t i = 0; i < sizeof(T); ++i) at[i] = bytes[sizeof(T) - 1 - i];
  }
}

template <class T>
inline T load_le(const std::byte* at) noexcept {
  T value;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(&value, at, sizeof(T));
  } else {
    std::byte bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) bytes[i] = at[sizeof(T) - 1 - i];
    std::memcpy(&value, bytes, sizeof(T));
  }
  return value;
}

}  // namespace detail

/// Writes fields into a struct that was allocated with the full size the
/// schema gives it, so every offset idlc computed is in range.
class StructBuilder {
 public:
  explicit StructBuilder(capnp::AnyStruct::Builder builder) noexcept
      : data_(reinterpret_cast<std::byte*>(builder.getDataSection().begin())),
        pointers_(builder.getPointerSection()) {}

  /// Stores `value` at `offset`, counted in multiples of sizeof(T) from the
  /// start of the data section (Cap'n Proto's convention).
  template <DataScalar T>
  void set(std::size_t offset, T value) noexcept {
    detail::store_le(data_ + offset * sizeof(T), value);
  }

  /// Sets bit `bit` of the data section (bit 0 is the lowest bit of byte 0).
  void set_bool(std::size_t bit, bool value) noexcept {
    auto& byte = data_[bit / 8];
    const auto mask = std::byte{1} << (bit % 8);
    byte = value ? (byte | mask) : (byte & ~mask);
  }

  /// The pointer slot `index`, to write text, data, a list or a struct into.
  capnp::AnyPointer::Builder pointer(std::size_t index) {
    return pointers_[static_cast<unsigned>(index)];
  }

 private:
  std::byte* data_;
  capnp::List<capnp::AnyPointer>::Builder pointers_;
};

/// Reads fields of a received struct. A struct written by an older schema
/// may be smaller than ours: fields beyond its sections read as zero / null,
/// which is how Cap'n Proto's own readers make schema evolution work.
class StructReader {
 public:
  explicit StructReader(capnp::AnyStruct::Reader reader) noexcept
      : data_(reinterpret_cast<const std::byte*>(reader.getDataSection().begin())),
        data_bytes_(reader.getDataSection().size()),
        pointers_(reader.getPointerSection()) {}

  template <DataScalar T>
  T get(std::size_t offset) const noexcept {
    if ((offset + 1) * sizeof(T) > data_bytes_) return T{};
    return detail::load_le<T>(data_ + offset * sizeof(T));
  }

  bool get_bool(std::size_t bit) const noexcept {
    if (bit / 8 >= data_bytes_) return false;
    return ((data_[bit / 8] >> (bit % 8)) & std::byte{1}) != std::byte{0};
  }

  /// The pointer slot `index`; a null pointer when the struct has fewer slots.
  capnp::AnyPointer::Reader pointer(std::size_t index) const {
    if (index >= pointers_.size()) return capnp::AnyPointer::Reader();
    return pointers_[static_cast<unsigned>(index)];
  }

 private:
  const std::byte* data_;
  std::size_t data_bytes_;
  capnp::List<capnp::AnyPointer>::Reader pointers_;
};

}  // namespace idlrpc::wire
