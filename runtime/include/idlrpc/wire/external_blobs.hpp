// Large `bytes` values written beside a message instead of inside it.
//
// Cap'n Proto hands out a message's segments zero-filled, so setting a
// 1 MiB Data field costs a 1 MiB fill (often of freshly faulted pages) and
// then a 1 MiB copy over it. While an ExternalBlobScope is open on a
// thread, a `bytes` value of at least ExternalBlobs::kMinBytes encoded on
// that thread is copied once, into uninitialised memory the scope's store
// owns, and that memory becomes a segment of the message of its own
// (Orphanage::referenceExternalData). The sender writes it to the socket
// with the message's other segments (gather I/O), so it is never copied
// again in user space.
//
// The encoding stays an ordinary Cap'n Proto message: the blob sits in its
// own segment, reached through a far pointer, which every reader follows.
// Only the segment layout differs from a single-segment encode, never the
// values (docs/protocol.md).
//
// The runtime opens a scope around each outgoing frame's encode
// (detail::encode_message), with a store the frame owns and destroys after
// its message. Without a scope (wire::serialize, the codec tests) nothing
// changes. Threads: a store belongs to one message and is filled by the
// thread encoding it; a scope is that thread's alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <capnp/any.h>
#include <capnp/common.h>
#include <kj/array.h>

namespace idlrpc::wire::detail {

class ExternalBlobs {
 public:
  /// Smaller values go into the message as usual: for them the fill costs
  /// less than a segment of their own (an allocation, a far pointer and
  /// its landing pad, one more buffer in the write).
  static constexpr std::size_t kMinBytes = 8 * 1024;
  /// At most this many blobs per message (the rest go in as usual), so a
  /// frame stays far below the segment count receivers accept.
  static constexpr std::size_t kMaxBlobs = 32;

  /// Where a blob's memory comes from: `words` uninitialised words.
  using Allocate = kj::Array<capnp::word> (*)(std::size_t words);

  /// `allocate`: the runtime recycles large buffers (glibc would hand out
  /// freshly faulted pages for each); null: kj::heapArray.
  explicit ExternalBlobs(Allocate allocate = nullptr) noexcept : allocate_(allocate) {}
  ExternalBlobs(const ExternalBlobs&) = delete;
  ExternalBlobs& operator=(const ExternalBlobs&) = delete;
  ~ExternalBlobs();

  /// A copy of the `size` bytes at `data` in memory this store keeps, the
  /// last word's tail zeroed (it goes on the wire); null data when the
  /// store is full.
  capnp::Data::Reader keep(const std::uint8_t* data, std::size_t size);
  /// How many blobs the store keeps.
  std::size_t count() const noexcept { return blobs_.size(); }

 private:
  Allocate allocate_;
  std::vector<kj::Array<capnp::word>> blobs_;
};

/// While alive, large `bytes` values encoded on this thread go to `blobs`.
/// Scopes nest (the previous one is restored).
class ExternalBlobScope {
 public:
  explicit ExternalBlobScope(ExternalBlobs& blobs) noexcept;
  ExternalBlobScope(const ExternalBlobScope&) = delete;
  ExternalBlobScope& operator=(const ExternalBlobScope&) = delete;
  ~ExternalBlobScope();

 private:
  ExternalBlobs* previous_;
};

/// Sets `slot` to Data referencing a kept copy of `size` bytes at `data`,
/// if a scope is open on this thread and its store has room; returns false,
/// having written nothing, otherwise. For sizes from kMinBytes.
bool write_external_blob(capnp::AnyPointer::Builder slot, const std::uint8_t* data, std::size_t size);

}  // namespace idlrpc::wire::detail
