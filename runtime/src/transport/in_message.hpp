// A received MESSAGE frame kept beyond the read buffer: streaming calls
// queue messages until the application reads them, so the frame's bytes
// are copied out (once) and decoded later, on the reader's thread.
#pragma once

#include <cstddef>

#include <capnp/serialize.h>
#include <kj/array.h>

#include "idlrpc/detail/stream_core.hpp"

namespace idlrpc::detail {

class InMessage {
 public:
  /// `frame` is a whole frame as the FrameReader returned it.
  InMessage(kj::ArrayPtr<const capnp::word> frame, const capnp::ReaderOptions& options);

  capnp::AnyPointer::Reader payload();
  /// What the frame counts against the receive window.
  std::size_t size_bytes() const noexcept { return words_.size() * sizeof(capnp::word); }

 private:
  kj::Array<capnp::word> words_;
  capnp::FlatArrayMessageReader reader_;
};

/// Reader options for untrusted frames of at most `max_message_bytes`.
capnp::ReaderOptions frame_reader_options(std::size_t max_message_bytes);

}  // namespace idlrpc::detail
