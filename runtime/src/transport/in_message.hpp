// A received MESSAGE frame kept beyond the read buffer: streaming calls
// queue messages until the application reads them, decoded later on the
// reader's thread. A small frame's bytes are copied out of the read buffer
// into the message's own heap block; a large one arrives in a buffer of its
// own, which the message takes over (Connection::take_message), so its
// bytes are never copied.
#pragma once

#include <cstddef>

#include <capnp/serialize.h>
#include <kj/array.h>

#include "idlrpc/detail/in_message.hpp"
#include "transport/input_account.hpp"

namespace idlrpc::detail {

class InMessage {
 public:
  /// `frame` is exactly one whole frame in a buffer of its own, which the
  /// message takes over, with the input `charge` for it, released when the
  /// message is destroyed.
  static InMessagePtr adopt(kj::Array<capnp::word> frame, InputCharge charge);
  /// A copy of `frame` (a whole frame as the FrameReader returned it),
  /// kept in the same heap block as the message: one allocation, and one
  /// free on the reader's thread, per small message.
  static InMessagePtr copy(kj::ArrayPtr<const capnp::word> frame, InputCharge charge);

  capnp::AnyPointer::Reader payload();
  /// What the frame counts against the receive window.
  std::size_t size_bytes() const noexcept { return words_.size() * sizeof(capnp::word); }

 private:
  friend struct InMessageDeleter;  // destroys and frees the block
  InMessage(kj::Array<capnp::word> frame, InputCharge charge);
  ~InMessage() = default;
  // Builds the message in `block` (from ::operator new, at least
  // sizeof(InMessage) bytes); on failure frees the block and rethrows.
  static InMessagePtr construct_in(void* block, kj::Array<capnp::word> frame, InputCharge charge);

  kj::Array<capnp::word> words_;
  capnp::FlatArrayMessageReader reader_;
  InputCharge charge_;
};

/// Reader options for an untrusted frame of `frame_bytes`.
capnp::ReaderOptions frame_reader_options(std::size_t frame_bytes);

}  // namespace idlrpc::detail
