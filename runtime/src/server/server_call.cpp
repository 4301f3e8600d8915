#include "server/server_call.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "idlrpc/error.hpp"
#include "server/server_connection.hpp"
#include "server/server_core.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {
namespace {

// A handler's exception becomes its call's status; it never reaches the
// server's threads.
HandlerOutcome outcome_of(std::exception_ptr error) {
  HandlerOutcome outcome;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    outcome.code = e.code();
    outcome.message = e.message();
  } catch (const std::exception& e) {
    outcome.code = StatusCode::INTERNAL;
    outcome.message = e.what();
  } catch (...) {
    outcome.code = StatusCode::UNKNOWN;
    outcome.message = "handler threw an exception that is not a std::exception";
  }
  return outcome;
}

}  // namespace

ServerCall::ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
                       protocol::Headers::Reader headers)
    : connection_(std::move(connection)), id_(id), method_(method) {
  context_.peer_ = connection_->peer();
  context_.method_ = std::string(method.info.path);
  context_.client_metadata_ = decode_metadata(headers.getMetadata());
  if (const std::uint64_t timeout = headers.getTimeoutMicros(); timeout != 0) {
    // Clamp absurd timeouts (a peer may send 2^64-1) to something representable.
    const auto micros = std::chrono::microseconds(std::min<std::uint64_t>(timeout, 100ull * 365 * 24 * 3600 * 1000000));
    context_.deadline_ = Clock::now() + micros;
  }
}

void ServerCall::start() {
  if (!context_.deadline_) return;
  deadline_timer_.emplace(connection_->executor(), *context_.deadline_);
  deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->cancel(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded", true);
  });
}

void ServerCall::on_frame(protocol::Frame::Reader frame) {
  if (finished_) return;
  switch (frame.which()) {
    case protocol::Frame::MESSAGE:
      if (has_request_) {
        cancel(StatusCode::INVALID_ARGUMENT, "a unary call got more than one request", true);
        return;
      }
      has_request_ = true;
      run(frame.getMessage().getPayload());
      break;
    case protocol::Frame::HALF_CLOSE:
      if (!has_request_) cancel(StatusCode::INVALID_ARGUMENT, "a unary call ended without a request", true);
      break;
    case protocol::Frame::CANCEL:
      cancel(StatusCode::CANCELLED, "", false);
      break;
    default:
      break;  // WINDOW_UPDATE: a unary call sends one message, nothing to resume
  }
}

void ServerCall::run(capnp::AnyPointer::Reader request) {
  auto self = shared_from_this();
  if (method_.blocking_unary) {
    BlockingUnaryJob job;
    try {
      job = method_.blocking_unary(request);
    } catch (const std::exception& e) {
      cancel(StatusCode::INTERNAL, fmt::format("cannot decode the request: {}", e.what()), true);
      return;
    }
    boost::asio::post(connection_->core().workers(), [self, job = std::move(job)] {
      if (self->context_.is_cancelled()) return;  // ended while queued: nobody waits for it
      HandlerOutcome outcome;
      try {
        outcome.response = job(self->context_);
        outcome.response->seal();  // sized here, off the I/O thread
      } catch (...) {
        outcome = outcome_of(std::current_exception());
      }
      boost::asio::post(self->connection_->executor(),
                        [self, outcome = std::move(outcome)]() mutable { self->finish(std::move(outcome)); });
    });
    return;
  }
  CoroutineUnaryJob job;
  try {
    job = method_.coroutine_unary(request);
  } catch (const std::exception& e) {
    cancel(StatusCode::INTERNAL, fmt::format("cannot decode the request: {}", e.what()), true);
    return;
  }
  boost::asio::co_spawn(connection_->executor(), job(context_),
                        boost::asio::bind_cancellation_slot(
                            cancel_signal_.slot(), [self](std::exception_ptr error, OutFramePtr response) {
                              HandlerOutcome outcome;
                              if (error) {
                                outcome = outcome_of(error);
                              } else {
                                outcome.response = std::move(response);
                              }
                              self->finish(std::move(outcome));
                            }));
}

void ServerCall::finish(HandlerOutcome outcome) {
  if (finished_) return;  // cancelled, timed out or the connection went away meanwhile
  finished_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  ServerConnection& connection = *connection_;
  if (!context_.initial_metadata_.empty()) {
    OutFramePtr headers = make_frame();
    headers->frame().setStreamId(id_);
    auto h = headers->frame().initHeaders();
    encode_metadata(h.initMetadata(static_cast<unsigned>(context_.initial_metadata_.size())),
                    context_.initial_metadata_);
    connection.send(std::move(headers));
  }
  if (outcome.response) {
    const std::size_t bytes = outcome.response->seal();
    const std::uint32_t limit = std::min(connection.peer_settings().max_message_bytes,
                                         connection.local_settings().max_message_bytes);
    if (bytes > limit) {
      outcome.code = StatusCode::RESOURCE_EXHAUSTED;
      outcome.message = fmt::format("response of {} bytes exceeds the limit of {} bytes", bytes, limit);
    } else {
      outcome.response->frame().setStreamId(id_);
      connection.send(std::move(outcome.response));
    }
  }
  connection.send_trailers(id_, outcome.code, outcome.message, &context_.trailing_metadata_);
  connection.call_finished(id_);
}

void ServerCall::cancel(StatusCode code, const std::string& message, bool tell_client) {
  if (finished_) return;
  finished_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  context_.stop_.request_stop();
  cancel_signal_.emit(boost::asio::cancellation_type::terminal);
  // No trailing metadata: the handler may still be running and setting it.
  if (tell_client) connection_->send_trailers(id_, code, message);
  connection_->call_finished(id_);
}

}  // namespace idlrpc::detail
