#include "client/stream_client_call.hpp"

#include <boost/asio/post.hpp>

#include "client/client_connection.hpp"
#include "transport/in_message.hpp"

namespace idlrpc::detail {

StreamClientCall::StreamClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                                   const CallOptions& options)
    : ClientStream(std::move(channel), method, options),
      // The flow reports only rules this side broke or the server broke;
      // either way the call cannot go on.
      flow_([this](StatusCode code, const std::string& message) { abandon(code, message); }) {}

void StreamClientCall::read(ReadCallback callback) {
  boost::asio::post(executor(), [self = self(), callback = std::move(callback)]() mutable {
    self->flow_.read(std::move(callback));
  });
}

void StreamClientCall::write(OutFramePtr message, bool last, WriteCallback callback) {
  boost::asio::post(executor(), [self = self(), message = std::move(message), last,
                                 callback = std::move(callback)]() mutable {
    self->flow_.write(std::move(message), last, std::move(callback));
  });
}

bool StreamClientCall::read_ahead(InMessagePtr& message, const CallResult*& end) {
  std::uint32_t grant = 0;
  if (!flow_.read_ahead(message, end, grant)) return false;
  if (grant > 0) boost::asio::post(executor(), [self = self(), grant] { self->flow_.give_back(grant); });
  return true;
}

bool StreamClientCall::write_ahead(OutFramePtr& message) {
  bool schedule_drain = false;
  if (!flow_.hand_over(message, schedule_drain)) return false;
  if (schedule_drain) boost::asio::post(executor(), [self = self()] { self->flow_.drain_handoff(); });
  return true;
}

void StreamClientCall::close_writes(WriteCallback callback) {
  boost::asio::post(executor(), [self = self(), callback = std::move(callback)]() mutable {
    self->flow_.close_writes(std::move(callback));
  });
}

void StreamClientCall::finish(FinishCallback callback) {
  boost::asio::post(executor(), [self = self(), callback = std::move(callback)]() mutable {
    // Whoever waits for the status no longer reads: unread messages must
    // not hold back the server's credit (it may still be writing).
    self->flow_.discard_unread();
    if (self->done()) {
      callback(self->result());
    } else {
      self->finish_callbacks_.push_back(std::move(callback));
    }
  });
}

void StreamClientCall::on_opened(ClientConnection& connection, std::uint32_t id) { flow_.attach(connection, id); }

void StreamClientCall::on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  switch (frame.which()) {
    case protocol::Frame::MESSAGE:
      if (auto open_on = connection()) flow_.on_message(open_on->take_message(raw));
      break;
    case protocol::Frame::WINDOW_UPDATE:
      flow_.on_window_update(frame.getWindowUpdate().getBytes());
      break;
    default:
      break;  // HALF_CLOSE: the trailers follow
  }
}

void StreamClientCall::on_end(bool orderly) {
  // After TRAILERS the messages the server sent before still get read;
  // after any other end they are dropped.
  flow_.end(result(), !orderly);
  auto callbacks = std::move(finish_callbacks_);
  for (auto& callback : callbacks) callback(result());
}

std::shared_ptr<StreamCore> start_stream_call(const Channel& channel, const MethodInfo& method,
                                              const CallOptions& options) {
  auto call = std::make_shared<StreamClientCall>(channel.core(), method, options);
  boost::asio::post(call->executor(), [call] { call->start(); });
  return call;
}

}  // namespace idlrpc::detail
