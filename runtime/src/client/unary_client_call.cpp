#include "client/unary_client_call.hpp"

#include <boost/asio/post.hpp>

#include "client/channel_core.hpp"
#include "idlrpc/message.hpp"

namespace idlrpc::detail {
namespace {

// Requests up to this size are kept for transparent retries even without
// a retry policy: a copy costs little next to a round trip. Larger ones
// only with a policy (it is then the application's choice).
constexpr std::size_t kKeptForTransparentRetry = 64 * 1024;

OutFramePtr copy_of(OutFrame& request) {
  OutFramePtr copy = make_frame();
  copy->frame().setMessage(request.frame().getMessage().asReader());
  copy->seal();
  return copy;
}

}  // namespace

UnaryClientCall::UnaryClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                                 OutFramePtr request, const CallOptions& options,
                                 std::shared_ptr<UnaryResponseSink> sink)
    : ClientCall(channel, method, options), request_(std::move(request)), sink_(std::move(sink)) {
  // Sized here, on the caller's thread, so the I/O thread only checks it.
  request_->seal();
  keep_request_ = has_retry_policy() || (channel_options().max_transparent_retries > 0 &&
                                         request_->size_bytes() <= kKeptForTransparentRetry);
}

bool UnaryClientCall::admit_locally() {
  // An oversized request fails before any I/O.
  const std::size_t limit = channel_options().max_message_bytes;
  if (request_->size_bytes() <= limit) return true;
  end(StatusCode::RESOURCE_EXHAUSTED,
      status_text::too_large(status_text::Oversized::kRequestForChannel, request_->size_bytes(), limit), false);
  return false;
}

bool UnaryClientCall::admit(ClientConnection& connection) {
  const std::size_t limit = connection.peer_settings().max_message_bytes;
  if (request_->size_bytes() <= limit) return true;
  end(StatusCode::RESOURCE_EXHAUSTED,
      status_text::too_large(status_text::Oversized::kRequestForServer, request_->size_bytes(), limit), false);
  return false;
}

void UnaryClientCall::on_opened(ClientConnection& connection, std::uint32_t id) {
  OutFramePtr frame = keep_request_ ? copy_of(*request_) : std::move(request_);
  frame->frame().setStreamId(id);
  frame->frame().getMessage().setEndStream(true);
  ++counts().sent;
  counts().bytes_sent += frame->size_bytes();
  connection.send(std::move(frame));
}

void UnaryClientCall::on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (frame.which() != protocol::Frame::MESSAGE) return;  // WINDOW_UPDATE, HALF_CLOSE: nothing to do
  ++counts().received;
  counts().bytes_received += raw.size() * sizeof(capnp::word);
  if (has_response_) {
    abandon(StatusCode::INTERNAL, std::string(status_text::kUnaryTwoResponses));
    return;
  }
  try {
    sink_->on_response(frame.getMessage().getPayload());
    has_response_ = true;
  } catch (const wire::DecodeError& e) {
    abandon(StatusCode::INTERNAL, status_text::cannot_decode_response(e.what()));
  }
}

void UnaryClientCall::check_trailers(StatusCode& code, std::string& message) {
  if (code == StatusCode::OK && !has_response_) {
    code = StatusCode::INTERNAL;
    message = status_text::kUnaryNoResponse;
  }
}

void UnaryClientCall::on_end(bool) {
  request_.reset();
  auto sink = std::move(sink_);
  sink->on_complete(std::move(result()));
}

std::shared_ptr<CallCanceller> start_unary_call(const Channel& channel, const MethodInfo& method,
                                                OutFramePtr request, const CallOptions& options,
                                                std::shared_ptr<UnaryResponseSink> sink) {
  auto call = std::make_shared<UnaryClientCall>(ChannelAccess::core(channel), method, std::move(request), options,
                                                std::move(sink));
  boost::asio::post(call->io_executor(), [call] { call->start(); });
  return call;
}

}  // namespace idlrpc::detail
