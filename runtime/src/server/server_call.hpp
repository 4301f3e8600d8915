// One call on the server: owns its ServerContext, runs the handler (on the
// worker pool or as a coroutine on the I/O thread) and answers with the
// response and the status, unless the call was cancelled first.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/status.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

class ServerConnection;

/// What a handler produced: a response, or the status it failed with.
struct HandlerOutcome {
  OutFramePtr response;
  StatusCode code = StatusCode::OK;
  std::string message;
};

class ServerCall : public std::enable_shared_from_this<ServerCall> {
 public:
  /// Members run on the connection's I/O thread unless noted.
  ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
             protocol::Headers::Reader headers);

  /// Arms the deadline, if the client sent one.
  void start();
  /// MESSAGE, HALF_CLOSE, CANCEL or WINDOW_UPDATE for this call.
  void on_frame(protocol::Frame::Reader frame);
  /// Ends the call without a response: the handler sees is_cancelled().
  /// Sends `code` to the client as TRAILERS when `tell_client`.
  void cancel(StatusCode code, const std::string& message, bool tell_client);

 private:
  void run(capnp::AnyPointer::Reader request);
  void finish(HandlerOutcome outcome);

  std::shared_ptr<ServerConnection> connection_;
  std::uint32_t id_;
  const MethodEntry& method_;
  ServerContext context_;
  std::optional<boost::asio::steady_timer> deadline_timer_;
  boost::asio::cancellation_signal cancel_signal_;  // reaches a coroutine handler's awaits
  bool has_request_ = false;
  bool finished_ = false;
};

}  // namespace idlrpc::detail
