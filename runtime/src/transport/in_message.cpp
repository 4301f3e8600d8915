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

InMessage::InMessage(kj::Array<capnp::word> frame, const capnp::ReaderOptions& options)
    : words_(std::move(frame)), reader_(words_.asPtr(), options) {}

InMessage::InMessage(kj::ArrayPtr<const capnp::word> frame, const capnp::ReaderOptions& options)
    : InMessage(copy_of(frame), options) {}

capnp::AnyPointer::Reader InMessage::payload() {
  return reader_.getRoot<protocol::Frame>().getMessage().getPayload();
}

capnp::ReaderOptions frame_reader_options(std::size_t max_message_bytes) {
  // A frame may not make us traverse more than twice its own size (Cap'n
  // Proto's defence against amplification), nor nest deeply.
  capnp::ReaderOptions options;
  options.traversalLimitInWords = 2 * (max_message_bytes / sizeof(capnp::word) + 512);
  options.nestingLimit = 64;
  return options;
}

void InMessageDeleter::operator()(InMessage* message) const noexcept { delete message; }

capnp::AnyPointer::Reader message_payload(InMessage& message) { return message.payload(); }

}  // namespace idlrpc::detail
