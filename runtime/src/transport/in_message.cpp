#include "transport/in_message.hpp"

#include <cstring>
#include <new>

#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

InMessage::InMessage(kj::Array<capnp::word> frame, InputCharge charge)
    : words_(std::move(frame)),
      reader_(words_.asPtr(), frame_reader_options(words_.size() * sizeof(capnp::word))),
      charge_(std::move(charge)) {}

// Every InMessage lives in a block from ::operator new, built here and
// released by InMessageDeleter; copy() puts the frame right after the
// object in the same block.
static_assert(sizeof(InMessage) % alignof(capnp::word) == 0, "the copied frame must be word-aligned");

InMessagePtr InMessage::construct_in(void* block, kj::Array<capnp::word> frame, InputCharge charge) {
  try {
    return InMessagePtr(new (block) InMessage(std::move(frame), std::move(charge)));
  } catch (...) {
    ::operator delete(block);
    throw;
  }
}

InMessagePtr InMessage::adopt(kj::Array<capnp::word> frame, InputCharge charge) {
  return construct_in(::operator new(sizeof(InMessage)), std::move(frame), std::move(charge));
}

InMessagePtr InMessage::copy(kj::ArrayPtr<const capnp::word> frame, InputCharge charge) {
  const std::size_t frame_bytes = frame.size() * sizeof(capnp::word);
  void* block = ::operator new(sizeof(InMessage) + frame_bytes);
  auto* words = reinterpret_cast<capnp::word*>(static_cast<unsigned char*>(block) + sizeof(InMessage));
  std::memcpy(words, frame.begin(), frame_bytes);
  // The words belong to the block: the array must not free them.
  return construct_in(block, kj::Array<capnp::word>(words, frame.size(), kj::NullArrayDisposer::instance),
                      std::move(charge));
}

capnp::AnyPointer::Reader InMessage::payload() {
  return reader_.getRoot<protocol::Frame>().getMessage().getPayload();
}

capnp::ReaderOptions frame_reader_options(std::size_t frame_bytes) {
  // A frame may not make us traverse more than twice its own size (Cap'n
  // Proto's defence against amplification), nor nest deeply. The constant
  // covers the Frame fields around a tiny payload.
  capnp::ReaderOptions options;
  options.traversalLimitInWords = 2 * (frame_bytes / sizeof(capnp::word)) + 64;
  options.nestingLimit = 64;
  return options;
}

void InMessageDeleter::operator()(InMessage* message) const noexcept {
  message->~InMessage();
  ::operator delete(static_cast<void*>(message));
}

capnp::AnyPointer::Reader message_payload(InMessage& message) { return message.payload(); }

}  // namespace idlrpc::detail
