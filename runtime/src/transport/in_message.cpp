#include "transport/in_message.hpp"

#include <cstring>

#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

namespace {

kj::Array<capnp::word> copy_of(kj::ArrayPtr<const capnp::word> frame) {
  auto words = kj::heapArray<capnp::word>(frame.size());
  std::memcpy(words.begin(), frame.begin(), frame.size() * sizeof(capnp::word));
  return words;
}

}  // namespace

InMessage::InMessage(kj::Array<capnp::word> frame, InputCharge charge)
    : words_(std::move(frame)),
      reader_(words_.asPtr(), frame_reader_options(words_.size() * sizeof(capnp::word))),
      charge_(std::move(charge)) {}

InMessage::InMessage(kj::ArrayPtr<const capnp::word> frame, InputCharge charge)
    : InMessage(copy_of(frame), std::move(charge)) {}

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

void InMessageDeleter::operator()(InMessage* message) const noexcept { delete message; }

capnp::AnyPointer::Reader message_payload(InMessage& message) { return message.payload(); }

}  // namespace idlrpc::detail
