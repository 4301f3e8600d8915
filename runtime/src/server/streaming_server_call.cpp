#include "server/streaming_server_call.hpp"

#include "idlrpc/detail/status_messages.hpp"
#include "server/handler_threads.hpp"
#include "server/server_connection.hpp"
#include "server/server_core.hpp"

namespace idlrpc::detail {

StreamingServerCall::StreamingServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id,
                                         const MethodEntry& method, protocol::Headers::Reader headers)
    : ServerCall(std::move(connection), id, method, headers),
      FlowStream(io_executor(),
                 [this](StatusCode code, const std::string& message) { end_call(code, message, true); }) {}

void StreamingServerCall::on_open() {
  // Attached before the interceptors decide: messages that arrive
  // meanwhile wait under flow control like any unread message.
  flow_.attach(connection(), id());
}

void StreamingServerCall::on_admitted() {
  if (end_if_deadline_passed()) return;
  if (const auto* blocking = std::get_if<BlockingStreamHandler>(&method().handler)) {
    // A thread of its own (handler_threads.hpp): it may wait on its peer.
    auto job = blocking_job([this, run = &blocking->run] { return (*run)(context(), keep_alive()); });
    if (!connection().core().stream_handlers().try_run(std::move(job))) {
      const unsigned limit = connection().core().options().max_blocking_stream_handlers;
      refuse(StatusCode::RESOURCE_EXHAUSTED, status_text::too_many_blocking_streams(limit));
    }
    return;
  }
  run_coroutine(std::get<CoroutineStreamHandler>(method().handler).run(context(), keep_alive()));
}

void StreamingServerCall::on_call_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  switch (frame.which()) {
    case protocol::Frame::MESSAGE: {
      // Read before the frame is taken: `frame` may not outlive its message.
      const bool end_stream = frame.getMessage().getEndStream();
      flow_.on_message(connection().take_message(raw));
      if (end_stream) flow_.on_peer_half_close();
      break;
    }
    case protocol::Frame::HALF_CLOSE:
      flow_.on_peer_half_close();
      break;
    case protocol::Frame::WINDOW_UPDATE:
      flow_.on_window_update(frame.getWindowUpdate().getBytes());
      break;
    default:
      break;
  }
}

void StreamingServerCall::on_end(StatusCode code, const std::string& message) {
  flow_.end(CallResult{code, message, {}, {}}, true);
}

void StreamingServerCall::close_writes(WriteCallback callback) {
  // The server's side of a call closes with its TRAILERS, after the handler.
  boost::asio::post(executor(), [callback = std::move(callback)] { callback(true); });
}

void StreamingServerCall::send_initial_metadata() {
  // Posted, so it goes after whatever the handler set before this call.
  boost::asio::post(executor(), [self = keep_alive(), this] { ServerCall::flush_initial_metadata(); });
}

void StreamingServerCall::cancel(StatusCode code, std::string message) {
  flow_.close_writes_ahead();  // a write after cancel() fails
  boost::asio::post(executor(), [self = keep_alive(), this, code, message = std::move(message)] {
    end_call(code, message, true);
  });
}

}  // namespace idlrpc::detail
