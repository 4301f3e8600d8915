// A call on the client, whatever its kind: the part of the lifecycle unary
// (unary_client_call.hpp) and streaming (streaming_client_call.hpp) calls
// share. It waits for a
// connection, opens as a stream with a HEADERS frame, hears the server's
// HEADERS, TRAILERS and CANCEL, and ends exactly once: on the server's
// status, or locally on its deadline, a cancellation or a lost connection.
// The kinds add what they send and how they deliver messages. Before the
// call waits for a connection, the channel's interceptors and the call's
// credentials run (each may decide at once or in a Task); they observe its
// end.
//
// Ownership: whoever holds the call (the channel's waiting list, the
// connection's stream table, a pending handler, the user's reader) holds a
// shared_ptr. The call holds its channel only until it ends: a call that
// ends while still in the channel's waiting list must not keep the channel
// alive through a reference cycle.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/call_options.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/detail/call_result.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "idlrpc/interceptor.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/status.hpp"
#include "client/retry_state.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

class ChannelCore;
class ClientConnection;

class ClientCall : public std::enable_shared_from_this<ClientCall> {
 public:
  virtual ~ClientCall() = default;
  ClientCall(const ClientCall&) = delete;
  ClientCall& operator=(const ClientCall&) = delete;

  /// The channel's I/O thread; safe to use from any thread.
  const boost::asio::any_io_executor& io_executor() const noexcept { return executor_; }
  /// CallOptions::wait_for_ready: waits through transient failures.
  bool waits_for_ready() const noexcept { return wait_for_ready_; }

  // Everything below runs on the I/O thread.

  /// The call has ended (it may still sit in a list that held it).
  bool done() const noexcept { return done_; }

  /// Arms the deadline and the cancellation, runs the interceptors and
  /// credentials, then hands the call to the channel (unless it ended).
  void start();
  /// Opens the call on `connection` itself, past the channel: a
  /// subchannel's own call (its health watch, health_watch.hpp). No
  /// interceptors, credentials, balancing or retries, and the call lets go
  /// of the channel at once: a call the subchannel holds must not keep its
  /// channel alive.
  void start_on(ClientConnection& connection);
  /// The connection opens the call as stream `id`: sends HEADERS and
  /// whatever the kind has ready. Returns false if the call ended instead
  /// (it must then not be tracked).
  bool begin(ClientConnection& connection, std::uint32_t id);
  /// A frame for this stream; `raw` is the whole frame, valid during the
  /// call only.
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw);
  /// The call cannot go on: no connection, connection lost. Its retry
  /// policy may make another attempt instead.
  void fail(StatusCode code, const std::string& message);
  /// The call never reached a server (a GOAWAY for a stream the server
  /// never started, a connection that closed before it was sent): another
  /// attempt is made at once, transparently, while the channel's
  /// max_transparent_retries allow; then it fails with UNAVAILABLE.
  void refused(const std::string& message);
  /// The connection's backlog cleared: writes that waited for it may go.
  virtual void resume_writes() {}
  /// Ends the call from our side: tells the server (if it knows the call)
  /// with CANCEL, then ends it with `code`.
  void abandon(StatusCode code, const std::string& message);

 protected:
  ClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, const CallOptions& options);

  /// How the call ended (once done()); a kind may move from it in on_end().
  CallResult& result() noexcept { return result_; }
  /// The channel's options; valid until the call ends.
  const ChannelOptions& channel_options() const;
  /// The connection the call is open on, if it still exists.
  std::shared_ptr<ClientConnection> connection() const { return connection_.lock(); }
  /// For interceptors' on_end: what a unary call counts here, a stream in its flow.
  MessageCounts& counts() noexcept { return counts_; }

  /// Any thread: ends the call from our side on the I/O thread, unless it
  /// ended first.
  void post_abandon(StatusCode code, std::string message);
  /// Ends the call once; `orderly` when the server's TRAILERS ended it (the
  /// messages it sent before still count).
  void end(StatusCode code, std::string message, bool orderly);

  // What each kind adds.

  /// Before submitting: false if the call ended instead (checked locally).
  virtual bool admit_locally() { return true; }
  /// Before opening on `connection`: false if the call ended instead.
  virtual bool admit(ClientConnection& /*connection*/) { return true; }
  /// HEADERS went out on stream `id`; send or attach what follows.
  virtual void on_opened(ClientConnection& connection, std::uint32_t id) = 0;
  /// The server's HEADERS arrived; result().initial_metadata holds them.
  virtual void on_initial_metadata() {}
  /// MESSAGE, WINDOW_UPDATE, HALF_CLOSE.
  virtual void on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) = 0;
  /// The server's TRAILERS: a kind may turn an OK into an error.
  virtual void check_trailers(StatusCode& /*code*/, std::string& /*message*/) {}
  /// The call ended; result() holds how. Called once.
  virtual void on_end(bool orderly) = 0;
  /// The call's messages, for interceptors' on_end.
  virtual MessageCounts message_counts() const { return counts_; }
  /// Whether another attempt can be made: by default only before the call
  /// was ever opened (a streaming call cannot replay what it wrote).
  virtual bool can_restart() const { return !opened_; }
  /// Another attempt starts: forget what the failed one received.
  virtual void on_restart() {}
  bool has_retry_policy() const noexcept { return retry_.has_policy(); }

 private:
  // Posts a cancellation from whichever thread requests the stop.
  struct CancelOnStop {
    ClientCall* call;
    void operator()() const { call->post_abandon(StatusCode::CANCELLED, std::string(status_text::kCancelledByClient)); }
  };

  // false (and the call is abandoned) if the server's metadata is too large.
  bool metadata_fits(capnp::List<protocol::MetadataEntry>::Reader list);
  // A refused attempt (it never reached a handler): true if another one
  // was scheduled at once (max_transparent_retries).
  bool try_transparent_retry();
  // After a failed attempt: true if another one was scheduled instead of
  // ending the call.
  bool retry_after_failure(StatusCode code);
  // Submits the call to the channel again after `delay` (on a later turn
  // of the loop even when zero: never from inside the failing path).
  void restart(std::chrono::milliseconds delay);

  ClientCallInfo info();
  std::size_t interceptor_count() const;
  /// Runs the interceptors (then the credentials) from `index` on; submits
  /// the call to the channel when all let it go on.
  void admit_from(std::size_t index);
  void await_check(Task<void> check, std::size_t next);
  /// The status of an interceptor's (or credentials') exception.
  void fail_with(std::exception_ptr error);
  /// The interceptors' on_end, once, in reverse order.
  void observe_end();

  boost::asio::any_io_executor executor_;
  std::shared_ptr<ChannelCore> channel_;  // until the call ends (see above)
  MethodInfo method_;
  std::optional<Clock::time_point> deadline_;
  Metadata metadata_;
  std::stop_token cancellation_;
  ResponseMetadata* response_metadata_;
  std::shared_ptr<CallCredentials> credentials_;
  bool wait_for_ready_;

  MessageCounts counts_;
  std::size_t interceptors_started_ = 0;  // whose on_end is owed
  std::optional<boost::asio::cancellation_signal> check_cancel_;  // an interceptor's Task in progress

  std::weak_ptr<ClientConnection> connection_;
  std::uint32_t id_ = 0;
  std::optional<boost::asio::steady_timer> deadline_timer_;
  std::optional<std::stop_callback<CancelOnStop>> stop_callback_;
  RetryState retry_;
  std::optional<boost::asio::steady_timer> retry_timer_;
  std::uint32_t metadata_limit_;  // the channel's, kept: a pinned call has no channel
  Clock::time_point started_at_;
  CallResult result_;
  bool opened_ = false;  // some attempt was opened on a connection
  bool pinned_ = false;  // start_on(): this connection or nothing
  bool done_ = false;
};

}  // namespace idlrpc::detail
