// A message to bytes and back in one call: idlrpc::to_bytes(msg) and
// idlrpc::from_bytes<T>(bytes), for storing messages in files, databases,
// caches or `bytes` fields. The bytes are one standalone Cap'n Proto
// message in its standard stream framing (segment table, then segments),
// exactly what capnp::writeMessage writes for the same struct built with
// capnp's generated code, so any Cap'n Proto reader with the schema idlc
// emits (`idlc --emit-capnp`) reads them. Header-only (idlrpc::wire);
// pure functions, safe from any thread.
//
// Reached through message.hpp, which the all-in generated header includes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/io.h>

#include "idlrpc/wire/codec.hpp"

namespace idlrpc {

/// Encodes `message` as a standalone Cap'n Proto message (segment table and
/// segments, as capnp::writeMessage writes it).
template <Message T>
Bytes to_bytes(const T& message) {
  capnp::MallocMessageBuilder builder;
  wire::encode(builder.getRoot<capnp::AnyPointer>(), message);
  Bytes out(capnp::computeSerializedSizeInWords(builder) * sizeof(capnp::word));
  kj::ArrayOutputStream stream(kj::arrayPtr(out.data(), out.size()));
  capnp::writeMessage(stream, builder);
  return out;
}

namespace wire::detail {

// Cap'n Proto's limit on segments, as on the wire (docs/protocol.md §2).
inline constexpr std::uint32_t kMaxSegments = 512;

// `bytes` checked to be exactly one message in stream framing, copied into
// aligned words (the input may sit at any address). Throws DecodeError
// naming `type`.
inline kj::Array<capnp::word> checked_message_words(std::string_view type, const std::uint8_t* bytes,
                                                     std::size_t size) {
  const auto fail = [&](const std::string& why) { throw DecodeError(std::string(type) + ": " + why); };
  const auto u32_at = [&](std::size_t offset) {
    std::uint32_t value = 0;
    std::memcpy(&value, bytes + offset, sizeof value);  // little-endian, as Cap'n Proto (x86, ARM)
    return value;
  };
  if (size < sizeof(capnp::word) || size % sizeof(capnp::word) != 0) {
    fail(std::to_string(size) + " bytes cannot be a Cap'n Proto message: it is a whole number of 8-byte words, "
         "at least one");
  }
  const std::uint64_t segments = std::uint64_t{u32_at(0)} + 1;
  if (segments > kMaxSegments) {
    fail("the message claims " + std::to_string(segments) + " segments; the limit is " +
         std::to_string(kMaxSegments));
  }
  const std::uint64_t header_bytes = (4 + 4 * segments + 7) / 8 * 8;
  if (header_bytes > size) {
    fail("the segment table (" + std::to_string(header_bytes) + " bytes) is longer than the input (" +
         std::to_string(size) + " bytes): truncated");
  }
  std::uint64_t total = header_bytes;
  for (std::uint64_t i = 0; i < segments; ++i) total += std::uint64_t{u32_at(4 + 4 * i)} * sizeof(capnp::word);
  if (total != size) {
    fail("the segment table announces " + std::to_string(total) + " bytes but the input has " + std::to_string(size) +
         (total > size ? ": truncated" : ": bytes after the message"));
  }
  auto words = kj::heapArray<capnp::word>(size / sizeof(capnp::word));
  std::memcpy(words.begin(), bytes, size);
  return words;
}

}  // namespace wire::detail

/// Decodes what to_bytes wrote (or any Cap'n Proto message whose root is
/// T's struct). The input must be exactly one message: a truncated one,
/// bytes after it, a bad segment table or a malformed struct throw
/// idlrpc::wire::DecodeError naming T; nothing is trusted. Reading is
/// bounded as for frames: at most twice the input's size traversed,
/// nesting at most 64 deep.
template <Message T>
T from_bytes(std::span<const std::uint8_t> bytes) {
  constexpr std::string_view kType = MessageTraits<T>::kFullName;
  const kj::Array<capnp::word> words = wire::detail::checked_message_words(kType, bytes.data(), bytes.size());
  capnp::ReaderOptions options;
  options.traversalLimitInWords = 2 * words.size() + 64;
  options.nestingLimit = 64;
  T out{};
  try {
    capnp::FlatArrayMessageReader reader(words, options);
    const capnp::AnyPointer::Reader root = reader.getRoot<capnp::AnyPointer>();
    if (!root.isNull() && !root.isStruct()) {
      throw wire::DecodeError(std::string(kType) + ": the message's root is not a struct");
    }
    wire::decode(root, out);
  } catch (const wire::DecodeError&) {
    throw;
  } catch (const kj::Exception& e) {  // the segment table, as libcapnp checks it
    throw wire::DecodeError(std::string(kType) + ": " + wire::detail::describe(e));
  }
  return out;
}

/// The same, for bytes held as std::byte.
template <Message T>
T from_bytes(std::span<const std::byte> bytes) {
  return from_bytes<T>(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

/// The same, for bytes held as characters (a std::string or string_view
/// read from a file). A span, not a string_view, so that a `bytes` field,
/// which converts to both, picks the overload above unambiguously.
template <Message T>
T from_bytes(std::span<const char> bytes) {
  return from_bytes<T>(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace idlrpc
