// What every call on the server shares, whatever its kind: its
// ServerContext, its deadline, running the handler (on the worker pool, a
// thread of its own, or as a coroutine on the I/O thread), answering with
// the response and the status, and ending early (cancelled by the client,
// deadline, connection gone). The kinds add how requests arrive:
// unary_server_call.hpp (one request, decoded straight from the read
// buffer) and streaming_server_call.hpp (messages both ways under flow
// control).
//
// Before the handler, the server's interceptors decide whether it runs
// (ServerOptions::interceptors; each may decide at once or in a Task), and
// they observe the call's end, whichever way it ends.
//
// Threads: everything here runs on the connection's I/O thread, except the
// blocking handler itself (blocking_job()).
// Ownership: the connection's call table and a running handler each hold a
// shared_ptr; the call holds its connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/detail/method_entry.hpp"
#include "idlrpc/interceptor.hpp"
#include "idlrpc/server_context.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/status.hpp"
#include "protocol/frame.capnp.h"
#include "transport/out_frame.hpp"

namespace idlrpc::detail {

class ServerConnection;

/// What a handler produced: a response, or the status it failed with.
struct HandlerOutcome {
  OutFramePtr response;
  StatusCode code = StatusCode::OK;
  std::string message;
  std::string exception_text;  // an unexpected exception's what(), for the log
};

class ServerCall : public std::enable_shared_from_this<ServerCall> {
 public:
  /// The call of the right kind for `method`, opened as stream `id`.
  static std::shared_ptr<ServerCall> create(std::shared_ptr<ServerConnection> connection, std::uint32_t id,
                                            const MethodEntry& method, protocol::Headers::Reader headers);
  virtual ~ServerCall() = default;
  ServerCall(const ServerCall&) = delete;
  ServerCall& operator=(const ServerCall&) = delete;

  /// Arms the deadline, if the client sent one, and runs the interceptors;
  /// once they admit the call, a streaming handler starts.
  void start();
  /// A frame for this call: CANCEL here, the rest by kind.
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  /// Ends the call without a response: the handler sees is_cancelled().
  /// Sends `code` to the client as TRAILERS when `tell_client`.
  void end_call(StatusCode code, const std::string& message, bool tell_client);
  /// The connection's backlog cleared: a streaming write that waited goes.
  virtual void resume_writes() {}

 protected:
  ServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
             protocol::Headers::Reader headers);

  ServerConnection& connection() const noexcept { return *connection_; }
  std::uint32_t id() const noexcept { return id_; }
  const MethodEntry& method() const noexcept { return method_; }
  ServerContext& context() noexcept { return context_; }
  /// The status went out (or the call ended without one): nothing more is sent.
  bool finished() const noexcept { return finished_; }
  /// Every interceptor let the call go on (at once if there are none).
  bool admitted() const noexcept { return admitted_; }
  /// For interceptors' on_end: what a unary call counts here, a stream in its flow.
  MessageCounts& counts() noexcept { return counts_; }
  boost::asio::any_io_executor io_executor() const;

  /// A job that runs `handler` (returning the response or null) on a
  /// thread of ours, then posts its outcome back to the I/O thread. A
  /// template, not a std::function, so the unary path allocates nothing
  /// more.
  template <class Handler>
  auto blocking_job(Handler handler);
  /// Runs a coroutine handler on the I/O thread; the call's cancellation
  /// reaches its awaits.
  void run_coroutine(Task<OutFramePtr> job);
  /// Just before the handler starts: true (and the call ended with
  /// DEADLINE_EXCEEDED) if the deadline has passed already.
  bool end_if_deadline_passed();
  /// The handler cannot start: `code`, `message` to the client.
  void refuse(StatusCode code, const std::string& message);
  /// Sends the initial metadata the handler set, once, before anything else.
  void flush_initial_metadata();

  // What each kind adds.

  /// start(): after the deadline is armed, before the interceptors run.
  virtual void on_open() {}
  /// The interceptors let the call go on.
  virtual void on_admitted() {}
  /// The messages a stream's flow counted (a unary call counts in counts()).
  virtual MessageCounts stream_counts() const { return {}; }
  /// MESSAGE, HALF_CLOSE, WINDOW_UPDATE.
  virtual void on_call_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) = 0;
  /// The call ended, with a status sent or not: release what it holds.
  virtual void on_end(StatusCode code, const std::string& message) = 0;

 private:
  /// The handler returned (or was skipped): respond, unless the call ended.
  void handler_done(HandlerOutcome outcome);
  void respond(HandlerOutcome outcome);
  /// `generic_text` replaces an unexpected exception's text for the client.
  HandlerOutcome outcome_of(std::exception_ptr error, std::string_view generic_text) const;
  /// Runs the interceptors from `index` on; on_admitted() when all let the call go on.
  void admit_from(std::size_t index);
  void await_check(Task<void> check, std::size_t next);
  /// An interceptor ended the call: the status to the client, no handler.
  void reject(HandlerOutcome outcome);
  /// The interceptors' on_end, once, in reverse order.
  void observe_end(StatusCode code, std::string_view message);
  const std::vector<std::shared_ptr<ServerInterceptor>>& interceptors() const;

  std::shared_ptr<ServerConnection> connection_;
  std::uint32_t id_;
  const MethodEntry& method_;
  ServerContext context_;
  std::optional<boost::asio::steady_timer> deadline_timer_;
  boost::asio::cancellation_signal cancel_signal_;  // reaches a coroutine handler's awaits
  Clock::time_point started_at_;
  MessageCounts counts_;
  std::size_t interceptors_started_ = 0;  // whose on_end is owed
  bool admitted_ = false;
  bool handler_running_ = false;        // its slot stays taken until it returns
  bool initial_metadata_sent_ = false;  // at most once, whoever sends first
  bool finished_ = false;
};

template <class Handler>
auto ServerCall::blocking_job(Handler handler) {
  handler_running_ = true;
  return [self = shared_from_this(), handler = std::move(handler)]() mutable {
    HandlerOutcome outcome;
    // Ended while queued: nobody waits for it, so it does not run.
    if (!self->context_.is_cancelled()) {
      try {
        outcome.response = handler();
        if (outcome.response) outcome.response->seal();  // sized here, off the I/O thread
      } catch (...) {
        outcome = self->outcome_of(std::current_exception(), status_text::kHandlerFailed);
      }
    }
    boost::asio::post(self->io_executor(),
                      [self, outcome = std::move(outcome)]() mutable { self->handler_done(std::move(outcome)); });
  };
}

}  // namespace idlrpc::detail
