#include "client/streaming_client_call.hpp"

#include <boost/asio/post.hpp>

#include "client/channel_core.hpp"
#include "client/client_connection.hpp"
#include "transport/in_message.hpp"

namespace idlrpc::detail {

StreamingClientCall::StreamingClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                                         const CallOptions& options)
    : ClientCall(std::move(channel), method, options),
      // The flow reports only rules this side broke or the server broke;
      // either way the call cannot go on.
      FlowStream(io_executor(), [this](StatusCode code, const std::string& message) { abandon(code, message); }) {}

void StreamingClientCall::finish(FinishCallback callback) {
  boost::asio::post(executor(), [self = keep_alive(), this, callback = std::move(callback)]() mutable {
    // Whoever waits for the status no longer reads: unread messages must
    // not hold back the server's credit (it may still be writing).
    flow_.discard_unread();
    if (done()) {
      callback(result());
    } else {
      finish_callbacks_.push_back(std::move(callback));
    }
  });
}

void StreamingClientCall::initial_metadata(MetadataCallback callback) {
  boost::asio::post(executor(), [self = keep_alive(), this, callback = std::move(callback)]() mutable {
    if (initial_metadata_known_ || done()) {
      callback(result().initial_metadata);
    } else {
      metadata_callbacks_.push_back(std::move(callback));
    }
  });
}

void StreamingClientCall::on_initial_metadata() {
  initial_metadata_known_ = true;
  auto callbacks = std::move(metadata_callbacks_);
  for (auto& callback : callbacks) callback(result().initial_metadata);
}

void StreamingClientCall::cancel(StatusCode code, std::string message) {
  flow_.close_writes_ahead();  // a write after cancel() fails, as it would have on the I/O thread
  flow_.end_reads_now(CallResult{code, message, {}, {}});  // and a read ends: nothing buffered is returned
  post_abandon(code, std::move(message));
}

void StreamingClientCall::on_opened(ClientConnection& connection, std::uint32_t id) { flow_.attach(connection, id); }

void StreamingClientCall::on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  switch (frame.which()) {
    case protocol::Frame::MESSAGE:
      if (!initial_metadata_known_) on_initial_metadata();  // none came before it: there is none
      if (auto open_on = connection()) flow_.on_message(open_on->take_message(raw));
      break;
    case protocol::Frame::WINDOW_UPDATE:
      flow_.on_window_update(frame.getWindowUpdate().getBytes());
      break;
    default:
      break;  // HALF_CLOSE: the trailers follow
  }
}

void StreamingClientCall::on_end(bool orderly) {
  // After TRAILERS the messages the server sent before still get read;
  // after any other end they are dropped.
  flow_.end(result(), !orderly);
  if (!initial_metadata_known_) on_initial_metadata();
  auto callbacks = std::move(finish_callbacks_);
  for (auto& callback : callbacks) callback(result());
}

std::shared_ptr<StreamCore> start_stream_call(const Channel& channel, const MethodInfo& method,
                                              const CallOptions& options) {
  auto call = std::make_shared<StreamingClientCall>(ChannelAccess::core(channel), method, options);
  call->set_owner(call);
  boost::asio::post(call->io_executor(), [call] { call->start(); });
  return call;
}

}  // namespace idlrpc::detail
