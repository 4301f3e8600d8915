#include "client/client_call.hpp"

#include <boost/asio/post.hpp>

#include "client/channel_core.hpp"
#include "client/request_headers.hpp"
#include "client/retry_throttle.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {
namespace {

// A code from the wire that is not one we know reads as `fallback`.
StatusCode known_or(std::uint32_t raw, StatusCode fallback) {
  const auto code = static_cast<StatusCode>(raw);
  return code > kLastStatusCode ? fallback : code;
}

}  // namespace

ClientCall::ClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method,
                           const CallOptions& options)
    : executor_(channel->executor()),
      channel_(std::move(channel)),
      method_(method),
      deadline_(options.deadline),
      metadata_(options.metadata),
      cancellation_(options.cancellation),
      response_metadata_(options.response_metadata),
      retry_(channel_->options(), method.path, options) {}

const ChannelOptions& ClientCall::channel_options() const { return channel_->options(); }

void ClientCall::start() {
  if (deadline_) {
    if (*deadline_ <= Clock::now()) {
      end(StatusCode::DEADLINE_EXCEEDED, std::string(status_text::kDeadlinePassedBeforeStart), false);
      return;
    }
    deadline_timer_.emplace(executor_, *deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->abandon(StatusCode::DEADLINE_EXCEEDED, std::string(status_text::kDeadlineExceeded));
    });
  }
  // A token already stopped runs the callback right here; it posts, so the
  // call still starts and ends through the usual path.
  if (cancellation_.stop_possible()) stop_callback_.emplace(cancellation_, CancelOnStop{this});
  if (done_ || !admit_locally()) return;
  channel_->submit(shared_from_this());
}

bool ClientCall::begin(ClientConnection& connection, std::uint32_t id) {
  if (done_ || !admit(connection)) return false;  // ended while waiting for the connection
  id_ = id;
  opened_ = true;
  connection_ = std::static_pointer_cast<ClientConnection>(connection.shared_from_this());
  connection.send(make_request_headers(id, method_.path, deadline_, metadata_));
  on_opened(connection, id);
  return true;
}

bool ClientCall::metadata_fits(capnp::List<protocol::MetadataEntry>::Reader list) {
  const std::size_t cost = metadata_cost(list);
  const std::size_t limit = channel_options().metadata_hard_limit_bytes;
  if (cost <= limit) return true;
  abandon(StatusCode::RESOURCE_EXHAUSTED,
          status_text::too_large(status_text::Oversized::kResponseMetadata, cost, limit));
  return false;
}

void ClientCall::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (done_) return;
  switch (frame.which()) {
    case protocol::Frame::HEADERS:
      if (!metadata_fits(frame.getHeaders().getMetadata())) return;
      result_.initial_metadata = decode_metadata(frame.getHeaders().getMetadata());
      on_initial_metadata();
      break;
    case protocol::Frame::TRAILERS: {
      auto trailers = frame.getTrailers();
      if (!metadata_fits(trailers.getMetadata())) return;
      StatusCode code = known_or(trailers.getCode(), StatusCode::UNKNOWN);
      // Text's size, not cStr(): a status message may hold NUL bytes.
      std::string message(trailers.getMessage().begin(), trailers.getMessage().size());
      result_.trailing_metadata = decode_metadata(trailers.getMetadata());
      check_trailers(code, message);
      if (code != StatusCode::OK && retry_after_failure(code)) return;
      end(code, std::move(message), true);
      break;
    }
    case protocol::Frame::CANCEL: {
      auto cancel = frame.getCancel();
      StatusCode code = known_or(cancel.getCode(), StatusCode::CANCELLED);
      if (code == StatusCode::OK) code = StatusCode::CANCELLED;
      end(code, std::string(cancel.getMessage().begin(), cancel.getMessage().size()), false);
      break;
    }
    default:
      on_stream_frame(frame, raw);
      break;
  }
}

void ClientCall::fail(StatusCode code, const std::string& message) {
  if (retry_after_failure(code)) return;
  end(code, message, false);
}

void ClientCall::refused(const std::string& message) {
  if (done_) return;
  if (can_restart() && retry_.take_transparent_retry()) {
    restart(std::chrono::milliseconds(0));
    return;
  }
  fail(StatusCode::UNAVAILABLE, message);
}

bool ClientCall::retry_after_failure(StatusCode code) {
  if (done_ || !retry_.retries(code) || !can_restart()) return false;
  const auto wait = retry_.next_attempt(channel_->retry_throttle());
  if (!wait) return false;
  restart(*wait);
  return true;
}

void ClientCall::restart(std::chrono::milliseconds delay) {
  if (auto connection = connection_.lock()) connection->forget(id_);  // that stream is over
  connection_.reset();
  id_ = 0;
  result_ = CallResult{};
  on_restart();
  retry_timer_.emplace(executor_, delay);
  retry_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error && !self->done_) self->channel_->submit(self);
  });
}

void ClientCall::post_abandon(StatusCode code, std::string message) {
  auto self = weak_from_this().lock();
  if (!self) return;  // the call is being destroyed: nothing left to cancel
  boost::asio::post(executor_, [self = std::move(self), code, message = std::move(message)] {
    self->abandon(code, message);
  });
}

void ClientCall::abandon(StatusCode code, const std::string& message) {
  if (done_) return;
  if (auto connection = connection_.lock()) connection->send_cancel(id_, code, message);
  end(code, message, false);
}

void ClientCall::end(StatusCode code, std::string message, bool orderly) {
  if (done_) return;
  done_ = true;
  auto self = shared_from_this();  // what follows may drop the last other reference
  if (deadline_timer_) deadline_timer_->cancel();
  if (retry_timer_) retry_timer_->cancel();
  stop_callback_.reset();
  // The budget hears of calls that did not end in a failure their policy
  // retries (those were counted as they failed).
  if (retry_.has_policy() && !retry_.retries(code)) channel_->retry_throttle().on_success();
  channel_.reset();
  if (auto connection = connection_.lock()) connection->forget(id_);
  result_.code = code;
  result_.message = std::move(message);
  if (response_metadata_ != nullptr) {
    response_metadata_->initial = result_.initial_metadata;
    response_metadata_->trailing = result_.trailing_metadata;
  }
  on_end(orderly);
}

}  // namespace idlrpc::detail
