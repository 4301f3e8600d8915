#include "transport/frame_buffers.hpp"

#include <new>

namespace idlrpc::detail {

FrameBuffers& FrameBuffers::shared() {
  static auto* pool = new FrameBuffers();
  return *pool;
}

kj::Array<capnp::word> FrameBuffers::take(std::size_t words) {
  void* memory = nullptr;
  {
    std::lock_guard lock(mutex_);
    for (auto it = kept_.rbegin(); it != kept_.rend(); ++it) {
      if (it->words == words) {
        memory = it->memory;
        kept_bytes_ -= words * sizeof(capnp::word);
        kept_.erase(std::next(it).base());
        break;
      }
    }
  }
  if (memory == nullptr) memory = ::operator new(words * sizeof(capnp::word));
  return kj::Array<capnp::word>(static_cast<capnp::word*>(memory), words, *this);
}

void FrameBuffers::disposeImpl(void* first, std::size_t element_size, std::size_t count, std::size_t,
                               void (*)(void*)) const {
  // Words need no destructor.
  const std::size_t bytes = element_size * count;
  std::vector<void*> evicted;
  {
    std::lock_guard lock(mutex_);
    if (bytes <= kMaxKeptBytes) {
      kept_.push_back({first, count});
      kept_bytes_ += bytes;
      first = nullptr;
      while (kept_bytes_ > kMaxKeptBytes) {
        evicted.push_back(kept_.front().memory);
        kept_bytes_ -= kept_.front().words * sizeof(capnp::word);
        kept_.erase(kept_.begin());
      }
    }
  }
  if (first != nullptr) ::operator delete(first);
  for (void* memory : evicted) ::operator delete(memory);
}

}  // namespace idlrpc::detail
