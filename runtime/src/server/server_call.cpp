#include "server/server_call.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>

#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/error.hpp"
#include "interceptor_chain.hpp"
#include "log.hpp"
#include "server/server_connection.hpp"
#include "server/server_core.hpp"
#include "server/streaming_server_call.hpp"
#include "server/unary_server_call.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {
namespace {

// Longest timeout honoured; a peer may send 2^64-1 µs.
constexpr std::uint64_t kMaxTimeoutMicros = 100ull * 365 * 24 * 3600 * 1000000;

}  // namespace

std::shared_ptr<ServerCall> ServerCall::create(std::shared_ptr<ServerConnection> connection, std::uint32_t id,
                                               const MethodEntry& method, protocol::Headers::Reader headers) {
  if (method.is_streaming()) {
    auto call = std::make_shared<StreamingServerCall>(std::move(connection), id, method, headers);
    call->set_owner(call);
    return call;
  }
  return std::make_shared<UnaryServerCall>(std::move(connection), id, method, headers);
}

ServerCall::ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
                       protocol::Headers::Reader headers)
    : connection_(std::move(connection)), id_(id), method_(method) {
  context_.peer_ = connection_->peer();
  context_.peer_identity_ = &connection_->peer_identity();
  context_.method_ = std::string(method.info.path);
  context_.kind_ = method.info.kind;
  context_.client_metadata_ = decode_metadata(headers.getMetadata());
  if (const std::uint64_t timeout = headers.getTimeoutMicros(); timeout != 0) {
    context_.deadline_ = Clock::now() + std::chrono::microseconds(std::min(timeout, kMaxTimeoutMicros));
  }
}

boost::asio::any_io_executor ServerCall::io_executor() const { return connection_->executor(); }

HandlerOutcome ServerCall::outcome_of(std::exception_ptr error, std::string_view generic_text) const {
  // A handler's exception becomes its call's status; it never reaches the
  // server's threads. Only idlrpc::Error is meant for the client: the text
  // of anything else may reveal internals (gRPC says UNKNOWN as well), so it
  // goes to the log unless the server was told to send it.
  HandlerOutcome outcome;
  outcome.code = StatusCode::UNKNOWN;
  std::string text;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    outcome.code = e.code();
    outcome.message = e.message();
    return outcome;
  } catch (const std::exception& e) {
    text = e.what();
  } catch (...) {
    text = "an exception that is not a std::exception";
  }
  outcome.message = connection_->core().options().send_exception_messages ? text : std::string(generic_text);
  outcome.exception_text = std::move(text);
  return outcome;
}

const std::vector<std::shared_ptr<ServerInterceptor>>& ServerCall::interceptors() const {
  return connection_->core().options().interceptors;
}

void ServerCall::start() {
  started_at_ = Clock::now();
  if (context_.deadline_) {
    deadline_timer_.emplace(io_executor(), *context_.deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->end_call(StatusCode::DEADLINE_EXCEEDED, std::string(status_text::kDeadlineExceeded), true);
    });
  }
  on_open();
  admit_from(0);
}

void ServerCall::admit_from(std::size_t index) {
  const auto& chain = interceptors();
  for (; index < chain.size(); ++index) {
    if (finished_) return;
    Admission admission;
    try {
      admission = chain[index]->on_start(context_);
    } catch (...) {
      reject(outcome_of(std::current_exception(), status_text::kInterceptorFailed));
      return;
    }
    interceptors_started_ = index + 1;
    auto& decision = admission.decision();
    if (auto* rejected = std::get_if<Admission::Rejected>(&decision)) {
      HandlerOutcome outcome;
      outcome.code = rejected->code;
      outcome.message = std::move(rejected->message);
      if (outcome.code == StatusCode::OK) {  // a reject must say why
        outcome.code = StatusCode::UNKNOWN;
        outcome.exception_text = outcome.message = std::string(status_text::kRejectedWithOk);
      }
      reject(std::move(outcome));
      return;
    }
    if (auto* check = std::get_if<Task<void>>(&decision)) {
      await_check(std::move(*check), index + 1);
      return;
    }
  }
  if (finished_) return;
  admitted_ = true;
  on_admitted();
}

void ServerCall::await_check(Task<void> check, std::size_t next) {
  // The call's cancellation (deadline, client, shutdown) reaches the
  // check's awaits, as it reaches a coroutine handler's later.
  boost::asio::co_spawn(io_executor(), std::move(check),
                        boost::asio::bind_cancellation_slot(
                            cancel_signal_.slot(), [self = shared_from_this(), next](std::exception_ptr error) {
                              if (self->finished_) return;  // ended while waiting
                              if (error) {
                                self->reject(self->outcome_of(error, status_text::kInterceptorFailed));
                              } else {
                                self->admit_from(next);
                              }
                            }));
}

void ServerCall::reject(HandlerOutcome outcome) {
  if (!outcome.exception_text.empty()) {
    log(LogLevel::kWarning, "interceptor of {} for {} threw: {}", context_.method_, context_.peer_,
        outcome.exception_text);
  }
  respond(std::move(outcome));
}

void ServerCall::observe_end(StatusCode code, std::string_view message) {
  if (interceptors_started_ == 0) return;
  const auto& chain = interceptors();
  // A client stream's one response goes out with the status, counted here.
  MessageCounts counts = stream_counts();
  counts.sent += counts_.sent;
  counts.bytes_sent += counts_.bytes_sent;
  counts.received += counts_.received;
  counts.bytes_received += counts_.bytes_received;
  const CallOutcome outcome{code, message, Clock::now() - started_at_, counts};
  notify_end(chain, std::exchange(interceptors_started_, 0), "server", context_.method_,
             [&](ServerInterceptor& interceptor) { interceptor.on_end(context_, outcome); });
}

bool ServerCall::end_if_deadline_passed() {
  // A deadline already past (a client sends 1 µs then) runs no handler: one
  // that finished before the timer fired would answer OK.
  if (!context_.deadline_ || *context_.deadline_ > Clock::now()) return false;
  end_call(StatusCode::DEADLINE_EXCEEDED, std::string(status_text::kDeadlineExceeded), true);
  return true;
}

void ServerCall::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (finished_) return;
  if (frame.which() == protocol::Frame::CANCEL) {
    end_call(StatusCode::CANCELLED, std::string(status_text::kCancelledByClient), false);
    return;
  }
  on_call_frame(frame, raw);
}

void ServerCall::run_coroutine(Task<OutFramePtr> job) {
  handler_running_ = true;
  boost::asio::co_spawn(io_executor(), std::move(job),
                        boost::asio::bind_cancellation_slot(
                            cancel_signal_.slot(),
                            [self = shared_from_this()](std::exception_ptr error, OutFramePtr response) {
                              HandlerOutcome outcome;
                              if (error) {
                                outcome = self->outcome_of(error, status_text::kHandlerFailed);
                              } else {
                                outcome.response = std::move(response);
                              }
                              self->handler_done(std::move(outcome));
                            }));
}

void ServerCall::refuse(StatusCode code, const std::string& message) {
  handler_running_ = false;  // it never started
  end_call(code, message, true);
}

void ServerCall::handler_done(HandlerOutcome outcome) {
  IDLRPC_ASSERT(handler_running_);
  handler_running_ = false;
  if (finished_) {
    connection_->handler_returned();  // the call ended first and left its slot taken
    return;  // and what it threw (often the cancellation itself) is nobody's news
  }
  if (!outcome.exception_text.empty()) {
    log(LogLevel::kWarning, "handler of {} for {} threw: {}", context_.method_, context_.peer_,
        outcome.exception_text);
  }
  respond(std::move(outcome));
}

void ServerCall::flush_initial_metadata() {
  if (initial_metadata_sent_ || finished_) return;
  initial_metadata_sent_ = true;
  if (context_.initial_metadata_.empty()) return;  // HEADERS from the server are optional
  OutFramePtr headers = make_frame();
  headers->frame().setStreamId(id_);
  auto h = headers->frame().initHeaders();
  encode_metadata(h.initMetadata(static_cast<unsigned>(context_.initial_metadata_.size())),
                  context_.initial_metadata_);
  connection_->send(std::move(headers));
}

void ServerCall::respond(HandlerOutcome outcome) {
  if (finished_) return;  // cancelled, timed out or the connection went away meanwhile
  flush_initial_metadata();
  finished_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  ServerConnection& connection = *connection_;
  if (outcome.response) {
    const std::size_t bytes = outcome.response->seal();
    const std::uint32_t limit =
        std::min(connection.peer_settings().max_message_bytes, connection.local_settings().max_message_bytes);
    if (bytes > limit) {
      outcome.code = StatusCode::RESOURCE_EXHAUSTED;
      outcome.message = status_text::too_large(status_text::Oversized::kResponse, bytes, limit);
    } else {
      outcome.response->frame().setStreamId(id_);
      connection.send(std::move(outcome.response));
      ++counts_.sent;
      counts_.bytes_sent += bytes;
    }
  }
  connection.send_trailers(id_, outcome.code, outcome.message, &context_.trailing_metadata_);
  observe_end(outcome.code, outcome.message);
  on_end(outcome.code, outcome.message);
  connection.call_finished(id_, false);
}

void ServerCall::end_call(StatusCode code, const std::string& message, bool tell_client) {
  if (finished_) return;
  finished_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  context_.stop_.request_stop();
  cancel_signal_.emit(boost::asio::cancellation_type::terminal);
  // No trailing metadata: the handler may still be running and setting it.
  if (tell_client) connection_->send_trailers(id_, code, message);
  observe_end(code, message);
  on_end(code, message);
  connection_->call_finished(id_, handler_running_);
}

}  // namespace idlrpc::detail
