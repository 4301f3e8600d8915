#include "client/stream_client_call.hpp"

#include <boost/asio/post.hpp>

#include "client/channel_core.hpp"
#include "client/request_headers.hpp"
#include "transport/in_message.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {

StreamClientCall::StreamClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                                   const CallOptions& options)
    : channel_(std::move(channel)),
      method_(method),
      deadline_(options.deadline),
      metadata_(options.metadata),
      cancellation_(options.cancellation),
      response_metadata_(options.response_metadata),
      // The flow reports only rules this side broke or the server broke;
      // either way the call cannot go on.
      flow_([this](StatusCode code, const std::string& message) { abandon(code, message); }) {}

boost::asio::any_io_executor StreamClientCall::executor() const { return channel_->executor(); }

void StreamClientCall::read(ReadCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), callback = std::move(callback)]() mutable {
    self->flow_.read(std::move(callback));
  });
}

void StreamClientCall::write(OutFramePtr message, bool last, WriteCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), message = std::move(message), last,
                                 callback = std::move(callback)]() mutable {
    self->flow_.write(std::move(message), last, std::move(callback));
  });
}

void StreamClientCall::close_writes(WriteCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), callback = std::move(callback)]() mutable {
    self->flow_.close_writes(std::move(callback));
  });
}

void StreamClientCall::finish(FinishCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), callback = std::move(callback)]() mutable {
    // Whoever waits for the status no longer reads: unread messages must
    // not hold back the server's credit (it may still be writing).
    self->flow_.discard_unread();
    if (self->done_) {
      callback(self->result_);
    } else {
      self->finish_callbacks_.push_back(std::move(callback));
    }
  });
}

void StreamClientCall::cancel(StatusCode code, std::string message) {
  auto self = weak_from_this().lock();
  if (!self) return;
  boost::asio::post(executor(), [self, code, message = std::move(message)] { self->abandon(code, message); });
}

void StreamClientCall::start() {
  if (deadline_) {
    if (*deadline_ <= Clock::now()) {
      complete(StatusCode::DEADLINE_EXCEEDED, "deadline passed before the call started", true);
      return;
    }
    deadline_timer_.emplace(executor(), *deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->abandon(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded");
    });
  }
  if (cancellation_.stop_possible()) stop_callback_.emplace(cancellation_, CancelOnStop{this});
  if (done_) return;
  channel_->submit(shared_from_this());
}

bool StreamClientCall::begin(ClientConnection& connection, std::uint32_t id) {
  if (done_) return false;
  id_ = id;
  connection_ = std::static_pointer_cast<ClientConnection>(connection.shared_from_this());
  connection.send(make_request_headers(id, method_.path, deadline_, metadata_));
  flow_.attach(connection, id);
  return true;
}

void StreamClientCall::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (done_) return;
  switch (frame.which()) {
    case protocol::Frame::HEADERS:
      result_.initial_metadata = decode_metadata(frame.getHeaders().getMetadata());
      break;
    case protocol::Frame::MESSAGE:
      if (auto connection = connection_.lock()) {
        flow_.on_message(InMessagePtr(
            new InMessage(raw, frame_reader_options(connection->local_settings().max_message_bytes))));
      }
      break;
    case protocol::Frame::WINDOW_UPDATE:
      flow_.on_window_update(frame.getWindowUpdate().getBytes());
      break;
    case protocol::Frame::TRAILERS: {
      auto trailers = frame.getTrailers();
      auto code = static_cast<StatusCode>(trailers.getCode());
      if (code > kLastStatusCode) code = StatusCode::UNKNOWN;
      result_.trailing_metadata = decode_metadata(trailers.getMetadata());
      complete(code, trailers.getMessage().cStr(), false);
      break;
    }
    case protocol::Frame::CANCEL: {
      auto cancel = frame.getCancel();
      auto code = static_cast<StatusCode>(cancel.getCode());
      complete(code > kLastStatusCode || code == StatusCode::OK ? StatusCode::CANCELLED : code,
               cancel.getMessage().cStr(), true);
      break;
    }
    default:
      break;  // HALF_CLOSE: the trailers follow
  }
}

void StreamClientCall::fail(StatusCode code, const std::string& message) { complete(code, message, true); }

void StreamClientCall::abandon(StatusCode code, const std::string& message) {
  if (done_) return;
  if (auto connection = connection_.lock()) connection->send_cancel(id_, code, message);
  complete(code, message, true);
}

void StreamClientCall::complete(StatusCode code, std::string message, bool discard_unread) {
  if (done_) return;
  done_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  stop_callback_.reset();
  if (auto connection = connection_.lock()) connection->forget(id_);
  result_.code = code;
  result_.message = std::move(message);
  if (response_metadata_ != nullptr) {
    response_metadata_->initial = result_.initial_metadata;
    response_metadata_->trailing = result_.trailing_metadata;
  }
  auto self = shared_from_this();  // callbacks may drop the last other reference
  flow_.end(result_, discard_unread);
  auto callbacks = std::move(finish_callbacks_);
  for (auto& callback : callbacks) callback(result_);
}

std::shared_ptr<StreamCore> start_stream_call(const Channel& channel, const MethodInfo& method,
                                              const CallOptions& options) {
  auto call = std::make_shared<StreamClientCall>(channel.core(), method, options);
  boost::asio::post(channel.core()->executor(), [call] { call->start(); });
  return call;
}

}  // namespace idlrpc::detail
