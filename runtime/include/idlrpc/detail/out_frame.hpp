// An outgoing MESSAGE frame, built in place: the runtime allocates the
// frame's Cap'n Proto message and the typed code encodes the user's message
// straight into its payload pointer. One encode; no copy before the socket.
#pragma once

#include <memory>

#include <capnp/any.h>

#include "idlrpc/detail/out_frame_fwd.hpp"
#include "idlrpc/wire/codec.hpp"
#include "idlrpc/wire/external_blobs.hpp"

namespace idlrpc::detail {

/// A new, empty MESSAGE frame (stream id and flags are set when sent).
OutFramePtr make_message_frame();
/// Where the message goes: the frame's `payload` AnyPointer.
capnp::AnyPointer::Builder message_payload(OutFrame& frame);
/// Where the frame keeps its large `bytes` values (external_blobs.hpp).
wire::detail::ExternalBlobs& external_blobs(OutFrame& frame);

/// `value` encoded into a fresh MESSAGE frame; its large `bytes` values
/// are copied once into memory the frame owns rather than filled and then
/// copied into its segments.
template <class T>
OutFramePtr encode_message(const T& value) {
  OutFramePtr frame = make_message_frame();
  const wire::detail::ExternalBlobScope blobs(external_blobs(*frame));
  wire::encode(message_payload(*frame), value);
  return frame;
}

}  // namespace idlrpc::detail
