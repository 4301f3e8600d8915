// Large `bytes` values as segments of their own: see
// idlrpc/wire/external_blobs.hpp. The current store is a thread_local so
// that the generated encoders, which see only capnp builders, need no extra
// argument: the scope is opened and closed around one synchronous encode.
#include "idlrpc/wire/external_blobs.hpp"

#include <cstring>

#include <capnp/orphan.h>

namespace idlrpc::wire::detail {
namespace {

thread_local ExternalBlobs* t_current_blobs = nullptr;

}  // namespace

ExternalBlobs::~ExternalBlobs() = default;

capnp::Data::Reader ExternalBlobs::keep(const std::uint8_t* data, std::size_t size) {
  if (blobs_.size() == kMaxBlobs) return {};
  const std::size_t words = (size + sizeof(capnp::word) - 1) / sizeof(capnp::word);
  // Uninitialised: the point is not to fill what the copy overwrites.
  kj::Array<capnp::word> memory = allocate_ != nullptr ? allocate_(words) : kj::heapArray<capnp::word>(words);
  auto* bytes = reinterpret_cast<std::uint8_t*>(memory.begin());
  // The padding after the value is written out with the segment: zero it,
  // as Cap'n Proto's own segments are, so no stale heap bytes leave.
  if (size % sizeof(capnp::word) != 0) std::memset(bytes + (words - 1) * sizeof(capnp::word), 0, sizeof(capnp::word));
  std::memcpy(bytes, data, size);
  blobs_.push_back(std::move(memory));
  return capnp::Data::Reader(bytes, size);
}

ExternalBlobScope::ExternalBlobScope(ExternalBlobs& blobs) noexcept : previous_(t_current_blobs) {
  t_current_blobs = &blobs;
}

ExternalBlobScope::~ExternalBlobScope() { t_current_blobs = previous_; }

bool write_external_blob(capnp::AnyPointer::Builder slot, const std::uint8_t* data, std::size_t size) {
  ExternalBlobs* blobs = t_current_blobs;
  if (blobs == nullptr) return false;
  const capnp::Data::Reader kept = blobs->keep(data, size);
  if (kept.begin() == nullptr) return false;
  slot.adopt(capnp::Orphanage::getForMessageContaining(slot).referenceExternalData(kept));
  return true;
}

}  // namespace idlrpc::wire::detail
