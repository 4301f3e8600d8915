#include "client/client_call.hpp"

#include <utility>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "client/channel_core.hpp"
#include "client/request_headers.hpp"
#include "client/retry_throttle.hpp"
#include "idlrpc/error.hpp"
#include "interceptor_chain.hpp"
#include "log.hpp"
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
      credentials_(options.credentials),
      wait_for_ready_(options.wait_for_ready),
      retry_(channel_->options(), method, options),
      metadata_limit_(channel_->options().metadata_hard_limit_bytes),
      // When the application made the call, on its thread: what interceptors'
      // durations (and metrics) measure, the hop to the I/O thread included.
      started_at_(Clock::now()) {}

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
  admit_from(0);
}

void ClientCall::start_on(ClientConnection& connection) {
  pinned_ = true;
  channel_.reset();
  connection.open(shared_from_this());
}

ClientCallInfo ClientCall::info() { return {method_, channel_->target(), metadata_, deadline_}; }

std::size_t ClientCall::interceptor_count() const {
  return channel_->options().interceptors.size() + (credentials_ ? 1 : 0);
}

void ClientCall::admit_from(std::size_t index) {
  const auto& chain = channel_->options().interceptors;
  for (const std::size_t count = interceptor_count(); index < count; ++index) {
    if (done_) return;
    Admission admission;
    ClientCallInfo call = info();
    try {
      // The credentials come last: no interceptor sees (or logs) the token.
      admission = index < chain.size() ? chain[index]->on_start(call) : credentials_->apply(call);
    } catch (...) {
      fail_with(std::current_exception());
      return;
    }
    if (index < chain.size()) interceptors_started_ = index + 1;
    auto& decision = admission.decision();
    if (auto* rejected = std::get_if<Admission::Rejected>(&decision)) {
      const bool without_status = rejected->code == StatusCode::OK;
      end(without_status ? StatusCode::UNKNOWN : rejected->code,
          without_status ? std::string(status_text::kRejectedWithOk) : std::move(rejected->message), false);
      return;
    }
    if (auto* check = std::get_if<Task<void>>(&decision)) {
      await_check(std::move(*check), index + 1);
      return;
    }
  }
  if (done_ || !admit_locally()) return;
  channel_->submit(shared_from_this());
}

void ClientCall::await_check(Task<void> check, std::size_t next) {
  check_cancel_.emplace();  // end() cancels the check's awaits
  boost::asio::co_spawn(executor_, std::move(check),
                        boost::asio::bind_cancellation_slot(
                            check_cancel_->slot(), [self = shared_from_this(), next](std::exception_ptr error) {
                              if (self->done_) return;  // ended while waiting (deadline, cancelled)
                              self->check_cancel_.reset();
                              if (error) {
                                self->fail_with(error);
                              } else {
                                self->admit_from(next);
                              }
                            }));
}

void ClientCall::fail_with(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    end(e.code(), e.message(), false);
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, "client interceptor of {} threw: {}", method_.path, e.what());
    end(StatusCode::INTERNAL, std::string(status_text::kInterceptorFailed), false);
  } catch (...) {
    log(LogLevel::kWarning, "client interceptor of {} threw", method_.path);
    end(StatusCode::INTERNAL, std::string(status_text::kInterceptorFailed), false);
  }
}

void ClientCall::observe_end() {
  if (interceptors_started_ == 0) return;
  const auto& chain = channel_->options().interceptors;
  const CallOutcome outcome{result_.code, result_.message, Clock::now() - started_at_, message_counts()};
  const ClientCallInfo call = info();
  notify_end(chain, std::exchange(interceptors_started_, 0), "client", method_.path,
             [&](ClientInterceptor& interceptor) { interceptor.on_end(call, outcome); });
}

bool ClientCall::begin(ClientConnection& connection, std::uint32_t id) {
  if (done_ || !admit(connection)) return false;  // ended while waiting for the connection
  if (credentials_ && !connection.confidential()) {
    // Checked on the connection itself, so a target that resolves off
    // this machine is caught too; nothing of the call has been sent.
    end(StatusCode::UNAUTHENTICATED, std::string(status_text::kCredentialsNeedTls), false);
    return false;
  }
  id_ = id;
  opened_ = true;
  connection_ = std::static_pointer_cast<ClientConnection>(connection.shared_from_this());
  connection.send(make_request_headers(id, method_.path, deadline_, metadata_));
  on_opened(connection, id);
  return true;
}

bool ClientCall::metadata_fits(capnp::List<protocol::MetadataEntry>::Reader list) {
  const std::size_t cost = metadata_cost(list);
  const std::size_t limit = metadata_limit_;
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
      // The server never started the call (it was shutting down, or at a
      // limit): like a call a GOAWAY refused, it may go to another server.
      if (trailers.getRefused() && code != StatusCode::OK && try_transparent_retry()) return;
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
  if (done_ || try_transparent_retry()) return;
  fail(StatusCode::UNAVAILABLE, message);
}

bool ClientCall::try_transparent_retry() {
  if (pinned_ || !can_restart() || !retry_.take_transparent_retry()) return false;
  restart(std::chrono::milliseconds(0));
  return true;
}

bool ClientCall::retry_after_failure(StatusCode code) {
  if (done_ || pinned_ || !retry_.retries(code) || !can_restart()) return false;
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
  if (check_cancel_) check_cancel_->emit(boost::asio::cancellation_type::terminal);
  // The budget hears of calls that did not end in a failure their policy
  // retries (those were counted as they failed).
  if (channel_ && retry_.has_policy() && !retry_.retries(code)) channel_->retry_throttle().on_success();
  if (auto connection = connection_.lock()) connection->forget(id_);
  result_.code = code;
  result_.message = std::move(message);
  observe_end();
  channel_.reset();
  if (response_metadata_ != nullptr) {
    response_metadata_->initial = result_.initial_metadata;
    response_metadata_->trailing = result_.trailing_metadata;
  }
  on_end(orderly);
}

}  // namespace idlrpc::detail
