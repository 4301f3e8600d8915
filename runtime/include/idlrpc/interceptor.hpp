// Code that runs around every call: on the server before the handler
// (authentication, authorization, rate limits, logging, metrics) and on
// the channel before a call is sent (adding metadata, client-side checks),
// and again when the call ends. docs/security.md shows how to write one.
//
// Threads: on_start and on_end run on the call's I/O thread and must not
// block; an interceptor that needs to wait (a token check that is itself
// an RPC) returns a Task from on_start. One interceptor object serves
// every call, on every I/O thread at once: keep its state thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "idlrpc/call_options.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/status.hpp"
#include "idlrpc/task.hpp"

namespace idlrpc {

class ServerContext;

/// What on_start decides about a call. Deciding at once costs nothing;
/// only an asynchronous decision starts a coroutine.
class Admission {
 public:
  /// Go on: to the next interceptor, then to the handler (or, on a
  /// channel, to the server).
  Admission() noexcept = default;
  static Admission proceed() noexcept { return {}; }
  /// End the call with `code` (not OK) and `message`: later interceptors
  /// and the handler never run. On a server the client receives the
  /// status, with any trailing metadata the interceptor added.
  static Admission reject(StatusCode code, std::string message) {
    Admission admission;
    admission.decision_ = Rejected{code, std::move(message)};
    return admission;
  }
  /// Decide later: `check` runs on the call's I/O thread. Returning lets
  /// the call go on; throwing idlrpc::Error rejects it with that status;
  /// any other exception fails it (UNKNOWN on a server, INTERNAL on a
  /// channel; the text goes to the log). The call's deadline and
  /// cancellation cancel the check's awaits. A coroutine lambda must not
  /// capture what it uses: pass it as parameters (they are copied into the
  /// coroutine), or the lambda is gone when the coroutine resumes.
  Admission(Task<void> check) noexcept : decision_(std::move(check)) {}

  // For the runtime.
  struct Rejected {
    StatusCode code;
    std::string message;
  };
  using Decision = std::variant<std::monostate, Rejected, Task<void>>;
  Decision& decision() noexcept { return decision_; }

 private:
  Decision decision_;
};

/// The messages of a call so far: counts and frame sizes in bytes.
struct MessageCounts {
  std::uint64_t sent = 0;
  std::uint64_t received = 0;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
};

/// How a call ended, for on_end.
struct CallOutcome {
  StatusCode code = StatusCode::OK;
  std::string_view message;
  /// From the call's start (server: its HEADERS arrived; channel: the call
  /// was made) to its end.
  Clock::duration duration{};
  MessageCounts messages;
};

/// Installed with ServerOptions::interceptors; runs in that order.
class ServerInterceptor {
 public:
  virtual ~ServerInterceptor() = default;
  /// Before the handler. `context` has the method, the peer and its TLS
  /// identity, the deadline and the client's metadata;
  /// context.mutable_client_metadata() changes what later interceptors and
  /// the handler see, context.set_principal() records who the caller is,
  /// and trailing metadata added here reaches the client even on reject.
  virtual Admission on_start(ServerContext& context) {
    (void)context;
    return {};
  }
  /// The call ended (also when an interceptor rejected it or it was
  /// cancelled). Called for every interceptor whose on_start ran, in
  /// reverse order; not for one that threw. Exceptions are logged.
  virtual void on_end(const ServerContext& context, const CallOutcome& outcome) {
    (void)context;
    (void)outcome;
  }
};

/// What a channel's interceptors (and call credentials) see of a call.
struct ClientCallInfo {
  const MethodInfo& method;
  /// The channel's target, as given to Channel.
  const std::string& target;
  /// The call's metadata: what an interceptor changes here is sent.
  Metadata& metadata;
  std::optional<Clock::time_point> deadline;
};

/// Installed with ChannelOptions::interceptors; runs in that order, before
/// the call waits for a connection. A rejection ends the call locally
/// with that status; nothing is sent.
class ClientInterceptor {
 public:
  virtual ~ClientInterceptor() = default;
  virtual Admission on_start(ClientCallInfo& call) {
    (void)call;
    return {};
  }
  /// As ServerInterceptor::on_end.
  virtual void on_end(const ClientCallInfo& call, const CallOutcome& outcome) {
    (void)call;
    (void)outcome;
  }
};

/// Per-call credentials (CallOptions::credentials): adds what proves the
/// caller's identity to the call's metadata, after the channel's
/// interceptors. A call that carries them is never sent over plaintext to
/// an address off this machine: it fails with UNAUTHENTICATED instead
/// (use TLS; loopback and Unix sockets are fine).
class CallCredentials {
 public:
  virtual ~CallCredentials() = default;
  /// Adds the credentials to call.metadata, at once or in a Task (a token
  /// that must be fetched or refreshed first).
  virtual Admission apply(ClientCallInfo& call) = 0;
};

}  // namespace idlrpc
