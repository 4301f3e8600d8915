#include "server/server_call.hpp"

#include <algorithm>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "idlrpc/error.hpp"
#include "log.hpp"
#include "server/server_connection.hpp"
#include "server/server_core.hpp"
#include "transport/in_message.hpp"
#include "transport/metadata_codec.hpp"

namespace idlrpc::detail {
namespace {

// Longest timeout honoured; a peer may send 2^64-1 µs.
constexpr std::uint64_t kMaxTimeoutMicros = 100ull * 365 * 24 * 3600 * 1000000;

}  // namespace

ServerCall::ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
                       protocol::Headers::Reader headers)
    : connection_(std::move(connection)),
      id_(id),
      method_(method) {
  if (method.blocking_stream || method.coroutine_stream) {
    flow_.emplace([this](StatusCode code, const std::string& message) { end_call(code, message, true); });
  }
  context_.peer_ = connection_->peer();
  context_.method_ = std::string(method.info.path);
  context_.client_metadata_ = decode_metadata(headers.getMetadata());
  if (const std::uint64_t timeout = headers.getTimeoutMicros(); timeout != 0) {
    context_.deadline_ = Clock::now() + std::chrono::microseconds(std::min(timeout, kMaxTimeoutMicros));
  }
}

HandlerOutcome ServerCall::outcome_of(std::exception_ptr error) const {
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
  outcome.message = connection_->core().options().send_exception_messages ? text : "unexpected error in the handler";
  outcome.exception_text = std::move(text);
  return outcome;
}

// What runs a blocking handler on a thread of ours (the worker pool, or a
// stream's own thread) and posts its outcome back to the I/O thread. A
// template, not a std::function, so the unary path allocates nothing more.
template <class Handler>
auto ServerCall::blocking_job(Handler handler) {
  return [self = shared_from_this(), handler = std::move(handler)]() mutable {
    HandlerOutcome outcome;
    // Ended while queued: nobody waits for it, so it does not run.
    if (!self->context_.is_cancelled()) {
      try {
        outcome.response = handler();
        if (outcome.response) outcome.response->seal();  // sized here, off the I/O thread
      } catch (...) {
        outcome = self->outcome_of(std::current_exception());
      }
    }
    boost::asio::post(self->executor(),
                      [self, outcome = std::move(outcome)]() mutable { self->handler_done(std::move(outcome)); });
  };
}

boost::asio::any_io_executor ServerCall::executor() const { return connection_->executor(); }

void ServerCall::start() {
  if (context_.deadline_) {
    deadline_timer_.emplace(executor(), *context_.deadline_);
    deadline_timer_->async_wait([self = shared_from_this()](const boost::system::error_code& error) {
      if (!error) self->end_call(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded", true);
    });
  }
  if (is_streaming()) {
    flow_->attach(*connection_, id_);
    run_stream();
  }
}

void ServerCall::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  if (finished_) return;
  switch (frame.which()) {
    case protocol::Frame::MESSAGE:
      if (is_streaming()) {
        // Read before the frame is taken: `frame` may not outlive its message.
        const bool end_stream = frame.getMessage().getEndStream();
        flow_->on_message(connection_->take_message(raw));
        if (end_stream) flow_->on_peer_half_close();
        return;
      }
      if (has_request_) {
        end_call(StatusCode::INVALID_ARGUMENT, "a unary call got more than one request", true);
        return;
      }
      has_request_ = true;
      request_charge_ = connection_->take_charge();
      run_unary(frame.getMessage().getPayload());
      break;
    case protocol::Frame::HALF_CLOSE:
      if (is_streaming()) {
        flow_->on_peer_half_close();
      } else if (!has_request_) {
        end_call(StatusCode::INVALID_ARGUMENT, "a unary call ended without a request", true);
      }
      break;
    case protocol::Frame::WINDOW_UPDATE:
      if (is_streaming()) flow_->on_window_update(frame.getWindowUpdate().getBytes());
      break;
    case protocol::Frame::CANCEL:
      end_call(StatusCode::CANCELLED, "call cancelled by the client", false);
      break;
    default:
      break;
  }
}

void ServerCall::run_unary(capnp::AnyPointer::Reader request) {
  // A deadline already past (a client sends 1 µs then) runs no handler:
  // one that finished before the timer fired would answer OK.
  if (context_.deadline_ && *context_.deadline_ <= Clock::now()) {
    end_call(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded", true);
    return;
  }
  // Decoded here, on the I/O thread, straight from the read buffer.
  try {
    if (method_.blocking_unary) {
      handler_running_ = true;
      boost::asio::post(connection_->core().workers(),
                        blocking_job([job = method_.blocking_unary(request), this] { return job(context_); }));
    } else {
      run_coroutine(method_.coroutine_unary(request)(context_));
    }
  } catch (const std::exception& e) {
    end_call(StatusCode::INTERNAL, fmt::format("cannot decode the request: {}", e.what()), true);
  }
}

void ServerCall::run_stream() {
  if (context_.deadline_ && *context_.deadline_ <= Clock::now()) {  // as in run_unary
    end_call(StatusCode::DEADLINE_EXCEEDED, "deadline exceeded", true);
    return;
  }
  if (method_.blocking_stream) {
    // A thread of its own (handler_threads.hpp): it may wait on its peer.
    handler_running_ = true;
    auto job = blocking_job([this] { return method_.blocking_stream(context_, shared_from_this()); });
    if (!connection_->core().stream_handlers().try_run(std::move(job))) {
      handler_running_ = false;
      end_call(StatusCode::RESOURCE_EXHAUSTED,
               fmt::format("too many blocking streaming calls at once (limit {})",
                           connection_->core().options().max_blocking_stream_handlers),
               true);
    }
  } else {
    run_coroutine(method_.coroutine_stream(context_, shared_from_this()));
  }
}

void ServerCall::run_coroutine(Task<OutFramePtr> job) {
  handler_running_ = true;
  boost::asio::co_spawn(executor(), std::move(job),
                        boost::asio::bind_cancellation_slot(
                            cancel_signal_.slot(),
                            [self = shared_from_this()](std::exception_ptr error, OutFramePtr response) {
                              HandlerOutcome outcome;
                              if (error) {
                                outcome = self->outcome_of(error);
                              } else {
                                outcome.response = std::move(response);
                              }
                              self->handler_done(std::move(outcome));
                            }));
}

void ServerCall::handler_done(HandlerOutcome outcome) {
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

void ServerCall::send_initial_metadata() {
  if (initial_metadata_sent_) return;
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
  finished_ = true;
  if (deadline_timer_) deadline_timer_->cancel();
  ServerConnection& connection = *connection_;
  send_initial_metadata();
  if (outcome.response) {
    const std::size_t bytes = outcome.response->seal();
    const std::uint32_t limit =
        std::min(connection.peer_settings().max_message_bytes, connection.local_settings().max_message_bytes);
    if (bytes > limit) {
      outcome.code = StatusCode::RESOURCE_EXHAUSTED;
      outcome.message = fmt::format("response of {} bytes exceeds the limit of {} bytes", bytes, limit);
    } else {
      outcome.response->frame().setStreamId(id_);
      connection.send(std::move(outcome.response));
    }
  }
  connection.send_trailers(id_, outcome.code, outcome.message, &context_.trailing_metadata_);
  if (flow_) flow_->end(CallResult{outcome.code, outcome.message, {}, {}}, true);
  request_charge_.reset();
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
  if (flow_) flow_->end(CallResult{code, message, {}, {}}, true);
  request_charge_.reset();
  connection_->call_finished(id_, handler_running_);
}

void ServerCall::read(ReadCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), callback = std::move(callback)]() mutable {
    self->flow_->read(std::move(callback));
  });
}

void ServerCall::write(OutFramePtr message, bool last, WriteCallback callback) {
  boost::asio::post(executor(), [self = shared_from_this(), message = std::move(message), last,
                                 callback = std::move(callback)]() mutable {
    // The handler set its initial metadata before its first write (the
    // post orders the two), so it goes out first.
    if (!self->finished_) self->send_initial_metadata();
    self->flow_->write(std::move(message), last, std::move(callback));
  });
}

bool ServerCall::on_io_thread() const { return running_in_this_thread(connection_->executor()); }

bool ServerCall::read_now(InMessagePtr& message, const CallResult*& end) { return flow_->read_now(message, end); }

StreamCore::WriteNow ServerCall::write_now(OutFramePtr& message, bool last) {
  if (!finished_) send_initial_metadata();  // as in write()
  return flow_->write_now(message, last);
}

bool ServerCall::read_ahead(InMessagePtr& message, const CallResult*& end) {
  std::uint32_t grant = 0;
  if (!flow_->read_ahead(message, end, grant)) return false;
  if (grant > 0) boost::asio::post(executor(), [self = shared_from_this(), grant] { self->flow_->give_back(grant); });
  return true;
}

bool ServerCall::write_ahead(OutFramePtr& message) {
  bool schedule_drain = false;
  if (!flow_->hand_over(message, schedule_drain)) return false;
  if (schedule_drain) {
    boost::asio::post(executor(), [self = shared_from_this()] {
      if (!self->finished_) self->send_initial_metadata();  // as in write()
      self->flow_->drain_handoff();
    });
  }
  return true;
}

void ServerCall::close_writes(WriteCallback callback) {
  // The server's side of a call closes with its TRAILERS.
  boost::asio::post(executor(), [callback = std::move(callback)] { callback(true); });
}

void ServerCall::finish(FinishCallback callback) {
  boost::asio::post(executor(), [callback = std::move(callback)] { callback(CallResult{}); });
}

void ServerCall::cancel(StatusCode code, std::string message) {
  if (flow_) flow_->close_writes_ahead();  // a write after cancel() fails
  boost::asio::post(executor(), [self = shared_from_this(), code, message = std::move(message)] {
    self->end_call(code, message, true);
  });
}

}  // namespace idlrpc::detail
