// A received MESSAGE frame, as the typed API sees it: an owning pointer to
// decode from, on the reader's thread. The other half of out_frame.hpp;
// the class itself lives in runtime/src/transport/in_message.hpp.
#pragma once

#include <memory>

#include <capnp/any.h>

namespace idlrpc::detail {

class InMessage;
struct InMessageDeleter {
  void operator()(InMessage* message) const noexcept;
};
using InMessagePtr = std::unique_ptr<InMessage, InMessageDeleter>;

/// The message inside the frame, to decode with wire::decode.
capnp::AnyPointer::Reader message_payload(InMessage& message);

}  // namespace idlrpc::detail
