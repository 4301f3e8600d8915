// How each C++ field type travels in a Cap'n Proto pointer slot: text,
// data, lists, maps, nested messages, boxes and optionals. Generated
// encode/decode functions call put_field/get_field for every field that
// lives in the pointer section; data-section fields go straight through
// StructBuilder::set / StructReader::get.
//
// The mapping (docs/wire-format.md has the full table):
//   std::string            Text
//   idlrpc::Bytes          Data
//   std::vector<E>         List(E): bits, primitives, Text, Data, structs
//                          (a composite list) or pointers (lists of lists/maps)
//   std::map<K, V>         List(Entry), Entry = struct { key @0 :K; value @1 :V; },
//                          entries in key order
//   message T / Box<T>     a struct of MessageTraits<T>::kStructSize
//   std::optional<P>       P's encoding, null pointer when unset (P a pointer type)
//   std::optional<S>       a struct { value @0 :S; } when set, null when unset
//                          (S a scalar, bool or enum)
//
// Reading never trusts the bytes: every access goes through libcapnp's
// checked readers, which throw kj::Exception on a bad pointer or an
// exceeded limit; wire::decode turns that into DecodeError.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <capnp/any.h>
#include <capnp/blob.h>
#include <capnp/list.h>

#include "idlrpc/wire/box.hpp"
#include "idlrpc/wire/bytes.hpp"
#include "idlrpc/wire/error.hpp"
#include "idlrpc/wire/external_blobs.hpp"
#include "idlrpc/wire/map_entry.hpp"
#include "idlrpc/wire/struct.hpp"
#include "idlrpc/wire/traits.hpp"

namespace idlrpc::wire {

namespace detail {

// One specialization per C++ type that can fill a pointer slot.
//   write(slot, value): always writes, even an empty value.
//   read(slot, out):    a null slot reads as the empty / default value.
//   empty(value):       true when a plain (non-optional) field may be left null.
template <class T, class = void>
struct Pointer;

template <>
struct Pointer<std::string> {
  static void write(capnp::AnyPointer::Builder slot, const std::string& value) {
    slot.setAs<capnp::Text>(capnp::Text::Reader(value.data(), value.size()));
  }
  static void read(capnp::AnyPointer::Reader slot, std::string& out) {
    if (slot.isNull()) {
      out.clear();
      return;
    }
    const capnp::Text::Reader text = slot.getAs<capnp::Text>();
    out.assign(text.begin(), text.size());
  }
  static bool empty(const std::string& value) noexcept { return value.empty(); }
};

template <>
struct Pointer<Bytes> {
  static void write(capnp::AnyPointer::Builder slot, const Bytes& value) {
    // A large value is copied once, beside the message, when the runtime
    // allows it (external_blobs.hpp); otherwise into a zero-filled segment.
    if (value.size() >= ExternalBlobs::kMinBytes && write_external_blob(slot, value.data(), value.size())) return;
    slot.setAs<capnp::Data>(capnp::Data::Reader(value.data(), value.size()));
  }
  static void read(capnp::AnyPointer::Reader slot, Bytes& out) {
    if (slot.isNull()) {
      out.clear();
      return;
    }
    const capnp::Data::Reader data = slot.getAs<capnp::Data>();
    out.assign(data.begin(), data.end());
  }
  static bool empty(const Bytes& value) noexcept { return value.empty(); }
};

template <Message T>
struct Pointer<T> {
  static void write(capnp::AnyPointer::Builder slot, const T& value) {
    constexpr StructSize size = MessageTraits<T>::kStructSize;
    MessageTraits<T>::encode(value, StructBuilder(slot.initAsAnyStruct(size.data_words, size.pointers)));
  }
  static void read(capnp::AnyPointer::Reader slot, T& out) {
    if (slot.isNull()) {
      out = T{};
      return;
    }
    if (!slot.isStruct()) throw DecodeError(std::string(MessageTraits<T>::kFullName) + ": expected a struct");
    MessageTraits<T>::decode(StructReader(slot.getAs<capnp::AnyStruct>()), out);
  }
  // A plain message field is always written, as capnp's init<Field>() would.
  static bool empty(const T&) noexcept { return false; }
};

template <class T>
struct Pointer<Box<T>> {
  static void write(capnp::AnyPointer::Builder slot, const Box<T>& value) { Pointer<T>::write(slot, *value); }
  static void read(capnp::AnyPointer::Reader slot, Box<T>& out) {
    if (slot.isNull()) {
      out = Box<T>();
      return;
    }
    Pointer<T>::read(slot, *out);
  }
  // An empty box stays null, or a self-containing message would never end.
  static bool empty(const Box<T>& value) noexcept { return !value.has_value(); }
};

// List element kinds, by how Cap'n Proto lays the list out.
template <class E>
concept PrimitiveElement = std::is_arithmetic_v<E>;  // bool included: List(Bool) is a bit list
template <class E>
concept EnumElement = std::is_enum_v<E>;
template <class E>
concept BlobElement = std::is_same_v<E, std::string> || std::is_same_v<E, Bytes>;

// Reads a list of structs, refusing what Cap'n Proto refuses: anything but
// a list, and bit lists (which have no struct form).
inline capnp::List<capnp::AnyStruct>::Reader read_struct_list(capnp::AnyPointer::Reader slot) {
  const capnp::AnyList::Reader list = slot.getAs<capnp::AnyList>();
  if (list.getElementSize() == capnp::ElementSize::BIT) throw DecodeError("expected a list of structs, got a bit list");
  return list.as<capnp::List<capnp::AnyStruct>>();
}

inline capnp::List<capnp::AnyPointer>::Reader read_pointer_list(capnp::AnyPointer::Reader slot) {
  const capnp::AnyList::Reader list = slot.getAs<capnp::AnyList>();
  if (list.getElementSize() != capnp::ElementSize::POINTER) throw DecodeError("expected a list of pointers");
  return list.as<capnp::List<capnp::AnyPointer>>();
}

template <class E>
struct Pointer<std::vector<E>> {
  static void write(capnp::AnyPointer::Builder slot, const std::vector<E>& value) {
    const auto count = static_cast<unsigned>(value.size());
    if constexpr (PrimitiveElement<E>) {
      auto list = slot.initAs<capnp::List<E>>(count);
      for (unsigned i = 0; i < count; ++i) list.set(i, value[i]);
    } else if constexpr (EnumElement<E>) {
      auto list = slot.initAs<capnp::List<std::uint16_t>>(count);
      for (unsigned i = 0; i < count; ++i) list.set(i, static_cast<std::uint16_t>(value[i]));
    } else if constexpr (std::is_same_v<E, std::string>) {
      auto list = slot.initAs<capnp::List<capnp::Text>>(count);
      for (unsigned i = 0; i < count; ++i) list.set(i, capnp::Text::Reader(value[i].data(), value[i].size()));
    } else if constexpr (Message<E>) {
      constexpr StructSize size = MessageTraits<E>::kStructSize;
      auto list = slot.initAsListOfAnyStruct(size.data_words, size.pointers, count);
      for (unsigned i = 0; i < count; ++i) MessageTraits<E>::encode(value[i], StructBuilder(list[i]));
    } else {
      // Bytes, lists and maps: a list of pointers, each element written even
      // when empty. (List(Data) is such a list; each element goes through
      // Pointer<Bytes> so that large ones may be written beside the message.)
      auto list = slot.initAsAnyList(capnp::ElementSize::POINTER, count).template as<capnp::List<capnp::AnyPointer>>();
      for (unsigned i = 0; i < count; ++i) Pointer<E>::write(list[i], value[i]);
    }
  }

  static void read(capnp::AnyPointer::Reader slot, std::vector<E>& out) {
    out.clear();
    if (slot.isNull()) return;
    if constexpr (PrimitiveElement<E>) {
      const auto list = slot.getAs<capnp::List<E>>();
      out.reserve(list.size());
      for (const E element : list) out.push_back(element);
    } else if constexpr (EnumElement<E>) {
      const auto list = slot.getAs<capnp::List<std::uint16_t>>();
      out.reserve(list.size());
      for (const std::uint16_t element : list) out.push_back(static_cast<E>(element));
    } else if constexpr (std::is_same_v<E, std::string>) {
      const auto list = slot.getAs<capnp::List<capnp::Text>>();
      out.reserve(list.size());
      for (const capnp::Text::Reader element : list) out.emplace_back(element.begin(), element.size());
    } else if constexpr (std::is_same_v<E, Bytes>) {
      const auto list = slot.getAs<capnp::List<capnp::Data>>();
      out.reserve(list.size());
      for (const capnp::Data::Reader element : list) out.emplace_back(element.begin(), element.end());
    } else if constexpr (Message<E>) {
      const auto list = read_struct_list(slot);
      out.resize(list.size());
      for (unsigned i = 0; i < list.size(); ++i) MessageTraits<E>::decode(StructReader(list[i]), out[i]);
    } else {
      const auto list = read_pointer_list(slot);
      out.resize(list.size());
      for (unsigned i = 0; i < list.size(); ++i) Pointer<E>::read(list[i], out[i]);
    }
  }
  static bool empty(const std::vector<E>& value) noexcept { return value.empty(); }
};

// One value in a struct slot of a known position: data, bit or pointer.
// Used for map entries, whose layout map_entry.hpp derives from K and V.
template <class T>
void write_slot(StructBuilder out, SlotPosition at, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    out.set_bool(at.offset, value);
  } else if constexpr (DataScalar<T>) {
    out.set<T>(at.offset, value);
  } else if (!Pointer<T>::empty(value)) {
    Pointer<T>::write(out.pointer(at.offset), value);
  }
}

template <class T>
void read_slot(StructReader in, SlotPosition at, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    out = in.get_bool(at.offset);
  } else if constexpr (DataScalar<T>) {
    out = in.get<T>(at.offset);
  } else {
    Pointer<T>::read(in.pointer(at.offset), out);
  }
}

template <class K, class V>
struct Pointer<std::map<K, V>> {
  static constexpr EntryLayout kLayout = entry_layout<K, V>();

  static void write(capnp::AnyPointer::Builder slot, const std::map<K, V>& value) {
    auto list = slot.initAsListOfAnyStruct(kLayout.size.data_words, kLayout.size.pointers,
                                           static_cast<unsigned>(value.size()));
    unsigned i = 0;
    for (const auto& [key, mapped] : value) {
      const StructBuilder entry(list[i++]);
      write_slot(entry, kLayout.key, key);
      write_slot(entry, kLayout.value, mapped);
    }
  }
  // Entries are taken in wire order; a repeated key keeps its last value.
  static void read(capnp::AnyPointer::Reader slot, std::map<K, V>& out) {
    out.clear();
    if (slot.isNull()) return;
    for (const capnp::AnyStruct::Reader element : read_struct_list(slot)) {
      const StructReader entry(element);
      K key{};
      V mapped{};
      read_slot(entry, kLayout.key, key);
      read_slot(entry, kLayout.value, mapped);
      out.insert_or_assign(out.end(), std::move(key), std::move(mapped));
    }
  }
  static bool empty(const std::map<K, V>& value) noexcept { return value.empty(); }
};

// optional<scalar>: a one-field struct, the `Optional<Type>` of the schema.
template <class T>
  requires(std::is_same_v<T, bool> || DataScalar<T>)
struct Pointer<std::optional<T>> {
  static void write(capnp::AnyPointer::Builder slot, const std::optional<T>& value) {
    if (value) write_slot(StructBuilder(slot.initAsAnyStruct(1, 0)), SlotPosition{0}, *value);
  }
  static void read(capnp::AnyPointer::Reader slot, std::optional<T>& out) {
    if (slot.isNull()) {
      out.reset();
      return;
    }
    read_slot(StructReader(slot.getAs<capnp::AnyStruct>()), SlotPosition{0}, out.emplace());
  }
  static bool empty(const std::optional<T>& value) noexcept { return !value; }
};

// optional<pointer type>: the type's own encoding; null means unset, so an
// empty string that is set and one that is unset stay distinct.
template <class T>
  requires(!(std::is_same_v<T, bool> || DataScalar<T>))
struct Pointer<std::optional<T>> {
  static void write(capnp::AnyPointer::Builder slot, const std::optional<T>& value) {
    if (value) Pointer<T>::write(slot, *value);
  }
  static void read(capnp::AnyPointer::Reader slot, std::optional<T>& out) {
    if (slot.isNull()) {
      out.reset();
      return;
    }
    Pointer<T>::read(slot, out.emplace());
  }
  static bool empty(const std::optional<T>& value) noexcept { return !value; }
};

}  // namespace detail

/// Writes a pointer-section field. A plain field whose value is empty (an
/// empty string, bytes, list or map; an empty Box) and an unset optional
/// leave the pointer null, which every reader reads back as the same value.
template <class T>
void put_field(capnp::AnyPointer::Builder slot, const T& value) {
  if (!detail::Pointer<T>::empty(value)) detail::Pointer<T>::write(slot, value);
}

/// Reads a pointer-section field; throws kj::Exception or DecodeError on
/// malformed input (wire::decode converts both to DecodeError).
template <class T>
void get_field(capnp::AnyPointer::Reader slot, T& out) {
  detail::Pointer<T>::read(slot, out);
}

}  // namespace idlrpc::wire
