// What a ClientConnection knows of a call it carries, whatever its kind.
#pragma once

#include <cstdint>
#include <string>

#include "idlrpc/status.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

class ClientConnection;

/// All members run on the channel's I/O thread.
class ClientStream {
 public:
  virtual ~ClientStream() = default;
  /// The connection opens the call as stream `id`: send HEADERS and
  /// whatever is ready. Returns false if the call failed instead (it has
  /// then completed itself and must not be tracked).
  virtual bool begin(ClientConnection& connection, std::uint32_t id) = 0;
  /// A frame for this stream (HEADERS, MESSAGE, HALF_CLOSE, TRAILERS,
  /// CANCEL, WINDOW_UPDATE).
  /// `raw` is the whole frame, valid during the call only.
  virtual void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) = 0;
  /// The call cannot go on: no connection, connection lost, refused.
  virtual void fail(StatusCode code, const std::string& message) = 0;
};

}  // namespace idlrpc::detail
