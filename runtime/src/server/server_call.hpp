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
#include "idlrpc/detail/stream_core.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/status.hpp"
#include "protocol/frame.capnp.h"
#include "transport/input_account.hpp"
#include "transport/stream_flow.hpp"

namespace idlrpc::detail {

class ServerConnection;

/// What a handler produced: a response, or the status it failed with.
struct HandlerOutcome {
  OutFramePtr response;
  StatusCode code = StatusCode::OK;
  std::string message;
  std::string exception_text;  // an unexpected exception's what(), for the log
};

class ServerCall final : public StreamCore, public std::enable_shared_from_this<ServerCall> {
 public:
  /// Members run on the connection's I/O thread unless noted.
  ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
             protocol::Headers::Reader headers);

  /// Arms the deadline, if the client sent one; a streaming handler starts now.
  void start();
  /// MESSAGE, HALF_CLOSE, CANCEL or WINDOW_UPDATE for this call.
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  /// Ends the call without a response: the handler sees is_cancelled().
  /// Sends `code` to the client as TRAILERS when `tell_client`.
  void end_call(StatusCode code, const std::string& message, bool tell_client);

  // StreamCore, for a streaming handler's reader and writer (any thread).
  void read(ReadCallback callback) override;
  void write(OutFramePtr message, bool last, WriteCallback callback) override;
  void close_writes(WriteCallback callback) override;
  void finish(FinishCallback callback) override;  // not used on the server
  void cancel(StatusCode code, std::string message) override;
  boost::asio::any_io_executor executor() const override;
  bool on_io_thread() const override;
  bool read_now(InMessagePtr& message, const CallResult*& end) override;
  WriteNow write_now(OutFramePtr& message, bool last) override;
  bool read_ahead(InMessagePtr& message, const CallResult*& end) override;
  bool write_ahead(OutFramePtr& message) override;

  /// The connection's backlog cleared: a streaming write that waited goes.
  void resume_writes() {
    if (flow_) flow_->send_parked();
  }

 private:
  bool is_streaming() const noexcept { return flow_.has_value(); }
  void run_unary(capnp::AnyPointer::Reader request);
  void run_stream();
  template <class Handler>
  auto blocking_job(Handler handler);
  void run_coroutine(Task<OutFramePtr> job);
  void send_initial_metadata();
  /// The handler returned (or was skipped): respond, unless the call ended.
  void handler_done(HandlerOutcome outcome);
  void respond(HandlerOutcome outcome);
  HandlerOutcome outcome_of(std::exception_ptr error) const;

  std::shared_ptr<ServerConnection> connection_;
  std::uint32_t id_;
  const MethodEntry& method_;
  ServerContext context_;
  std::optional<StreamFlow> flow_;  // streaming calls only: unary calls skip its allocations
  std::optional<boost::asio::steady_timer> deadline_timer_;
  boost::asio::cancellation_signal cancel_signal_;  // reaches a coroutine handler's awaits
  InputCharge request_charge_;  // a unary request, decoded, held until the call ends
  bool has_request_ = false;
  bool handler_running_ = false;
  bool initial_metadata_sent_ = false;
  bool finished_ = false;
};

}  // namespace idlrpc::detail
