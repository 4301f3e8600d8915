#include "client/unary_client_call.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "client/channel_core.hpp"
#include "client/request_headers.hpp"
#include "idlrpc/message.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {

UnaryClientCall::UnaryClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                                 OutFramePtr request, const CallOptions& options,
                                 std::shared_ptr<UnaryResponseSink> sink)
    : channel_(std::move(channel)),
      method_(method),
      request_(std::move(request)),
      deadline_(options.deadline),
      metadata_(options.metadata),
      cancellation_(options.cancellation),
      response_metadata_(options.response_metadata),
      sink_(std::move(sink)) {}

void UnaryClientCall::cancel() {
  auto self = weak_from_this().lock();
  if (!self) return;
  boost::asio::post(channel_->executor(), [self] { self->abandon(StatusCode::CANCELLED, "call cancelled by the client"); });
}

void UnaryClientCall::start() {
  if (deadline_) {
    if (*deadline_ <= Clock::now()) {
      complete(StatusCode::DEADLINE_EXCEEDED, "deadline passed before the call started");
      return;
    }
    deadline_timer_.emplace(channel_->executor(), *deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->abandon(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded");
    });
  }
  if (cancellation_.stop_possible()) {
    stop_callback_.emplace(cancellation_, CancelOnStop{this});  // may run cancel() right here
  }
  // The request is sized now, so an oversized one fails before any I/O.
  const std::size_t bytes = request_->seal();
  if (bytes > channel_->options().max_message_bytes) {
    complete(StatusCode::RESOURCE_EXHAUSTED,
             fmt::format("request of {} bytes exceeds the channel's limit of {} bytes", bytes,
                         channel_->options().max_message_bytes));
    return;
  }
  channel_->submit(shared_from_this());
}

bool UnaryClientCall::begin(ClientConnection& connection, std::uint32_t id) {
  if (done_) return false;  // cancelled or timed out while waiting for the connection
  const std::size_t bytes = request_->size_bytes();
  if (bytes > connection.peer_settings().max_message_bytes) {
    complete(StatusCode::RESOURCE_EXHAUSTED,
             fmt::format("request of {} bytes exceeds the server's limit of {} bytes", bytes,
                         connection.peer_settings().max_message_bytes));
    return false;
  }
  id_ = id;
  connection_ = std::static_pointer_cast<ClientConnection>(connection.shared_from_this());
  connection.send(make_request_headers(id, method_.path, deadline_, metadata_));
  request_->frame().setStreamId(id);
  request_->frame().getMessage().setEndStream(true);
  connection.send(std::move(request_));
  return true;
}

void UnaryClientCall::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word>) {
  if (done_) return;
  switch (frame.which()) {
    case protocol::Frame::HEADERS:
      result_.initial_metadata = decode_metadata(frame.getHeaders().getMetadata());
      break;
    case protocol::Frame::MESSAGE:
      if (has_response_) {
        abandon(StatusCode::INTERNAL, "server sent more than one response to a unary call");
        return;
      }
      try {
        sink_->on_response(frame.getMessage().getPayload());
        has_response_ = true;
      } catch (const wire::DecodeError& e) {
        abandon(StatusCode::INTERNAL, fmt::format("cannot decode the response: {}", e.what()));
      }
      break;
    case protocol::Frame::TRAILERS: {
      auto trailers = frame.getTrailers();
      auto code = static_cast<StatusCode>(trailers.getCode());
      if (code > kLastStatusCode) code = StatusCode::UNKNOWN;
      result_.trailing_metadata = decode_metadata(trailers.getMetadata());
      std::string message = trailers.getMessage().cStr();
      if (code == StatusCode::OK && !has_response_) {
        code = StatusCode::INTERNAL;
        message = "server ended a unary call OK without a response";
      }
      complete(code, std::move(message));
      break;
    }
    case protocol::Frame::CANCEL: {
      auto cancel = frame.getCancel();
      auto code = static_cast<StatusCode>(cancel.getCode());
      complete(code > kLastStatusCode || code == StatusCode::OK ? StatusCode::CANCELLED : code,
               cancel.getMessage().cStr());
      break;
    }
    default:
      break;  // WINDOW_UPDATE, HALF_CLOSE: nothing to do for a unary call
  }
}

void UnaryClientCall::fail(StatusCode code, const std::string& message) { complete(code, message); }

void UnaryClientCall::abandon(StatusCode code, const std::string& message) {
  if (done_) return;
  if (auto connection = connection_.lock()) {
    connection->send_cancel(id_, code, message);
  }
  complete(code, message);
}

void UnaryClientCall::complete(StatusCode code, std::string message) {
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
  sink_->on_complete(std::move(result_));
  sink_.reset();
}

std::shared_ptr<CallCanceller> start_unary_call(const Channel& channel, const MethodInfo& method,
                                                OutFramePtr request, const CallOptions& options,
                                                std::shared_ptr<UnaryResponseSink> sink) {
  auto call = std::make_shared<UnaryClientCall>(channel.core(), method, std::move(request), options,
                                                std::move(sink));
  boost::asio::post(channel.core()->executor(), [call] { call->start(); });
  return call;
}

}  // namespace idlrpc::detail
