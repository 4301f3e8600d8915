// A received MESSAGE frame kept beyond the read buffer: streaming calls
// queue messages until the application reads them, decoded later on the
// reader's thread. A small frame's bytes are copied out of the read buffer;
// a large one arrives in a buffer of its own, which the message takes over
// (Connection::take_message), so its bytes are never copied.
#pragma once

#include <cstddef>

#include <capnp/serialize.h>
#include <kj/array.h>

#include "idlrpc/detail/in_message.hpp"
#include "transport/input_account.hpp"

namespace idlrpc::detail {

class InMessage {
 public:
  /// `frame` is exactly one whole frame; the message owns it, and the
  /// input `charge` for it, released when the message is destroyed.
  InMessage(kj::Array<capnp::word> frame, InputCharge charge);
  /// A copy of `frame` (a whole frame as the FrameReader returned it).
  InMessage(kj::ArrayPtr<const capnp::word> frame, InputCharge charge);

  capnp::AnyPointer::Reader payload();
  /// What the frame counts against the receive window.
  std::size_t size_bytes() const noexcept { return words_.size() * sizeof(capnp::word); }

 private:
  kj::Array<capnp::word> words_;
  capnp::FlatArrayMessageReader reader_;
  InputCharge charge_;
};

/// Reader options for an untrusted frame of `frame_bytes`.
capnp::ReaderOptions frame_reader_options(std::size_t frame_bytes);

}  // namespace idlrpc::detail
