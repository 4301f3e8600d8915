// Buffers for large frames, recycled. A large frame is read into a buffer
// of its own that its InMessage then owns (FrameReader::release), so its
// bytes are never copied; but glibc serves such sizes with fresh mmap'd
// pages, and faulting in a megabyte of new pages per message costs more
// than the copy saved. A few buffers of recent sizes are kept instead.
//
// Thread-safe: a message's buffer comes back on whichever thread drops it.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include <capnp/common.h>
#include <kj/array.h>

namespace idlrpc::detail {

class FrameBuffers final : public kj::ArrayDisposer {
 public:
  /// The process's pool (never destroyed: messages may outlive main()).
  static FrameBuffers& shared();

  /// An uninitialised buffer of exactly `words` words, returned here when
  /// the array is destroyed.
  kj::Array<capnp::word> take(std::size_t words);

 private:
  // Kept: at most this many bytes in all; the oldest go first.
  static constexpr std::size_t kMaxKeptBytes = 8 * 1024 * 1024;

  void disposeImpl(void* first, std::size_t element_size, std::size_t count, std::size_t capacity,
                   void (*destroy)(void*)) const override;

  struct Kept {
    void* memory;
    std::size_t words;
  };
  mutable std::mutex mutex_;
  mutable std::vector<Kept> kept_;  // oldest first
  mutable std::size_t kept_bytes_ = 0;
};

}  // namespace idlrpc::detail
