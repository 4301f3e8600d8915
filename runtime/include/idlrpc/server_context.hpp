// What a handler knows about the call it serves, and what it may set.
#pragma once

#include <optional>
#include <stop_token>
#include <string>

#include "idlrpc/call_options.hpp"
#include "idlrpc/metadata.hpp"
#include "idlrpc/method.hpp"
#include "idlrpc/tls.hpp"

namespace idlrpc {

namespace detail {
class ServerCall;
}

/// Passed to every handler. Reading is safe from the handler's thread at
/// any time; the response metadata must be set before the handler returns
/// (initial metadata: before the first message a streaming handler writes).
class ServerContext {
 public:
  ServerContext(const ServerContext&) = delete;
  ServerContext& operator=(const ServerContext&) = delete;

  /// "127.0.0.1:53412", "[::1]:53412" or "unix:" (+ path when bound).
  const std::string& peer() const noexcept { return peer_; }
  /// What the client proved in its TLS handshake: its certificate's
  /// subject and SANs under mutual TLS; `tls` false on a plaintext connection.
  const PeerIdentity& peer_identity() const noexcept { return *peer_identity_; }
  /// The metadata the client sent (including its "user-agent").
  const Metadata& client_metadata() const noexcept { return client_metadata_; }
  /// When the client stops waiting; nullopt if it set no deadline.
  const std::optional<Clock::time_point>& deadline() const noexcept { return deadline_; }
  /// The full method path, "/package.Service/Method".
  const std::string& method() const noexcept { return method_; }
  /// Unary, or which kind of streaming.
  CallKind kind() const noexcept { return kind_; }
  /// For interceptors (on_start): the client's metadata as later
  /// interceptors and the handler will see it.
  Metadata& mutable_client_metadata() noexcept { return client_metadata_; }
  /// Who the caller is, as an authenticating interceptor established it
  /// (a token's subject, a certificate's SAN); empty if none did.
  const std::string& principal() const noexcept { return principal_; }
  void set_principal(std::string principal) { principal_ = std::move(principal); }

  /// True once the client cancelled, the deadline passed, the connection
  /// was lost or the server is shutting down: the result will be discarded.
  bool is_cancelled() const noexcept { return stop_.stop_requested(); }
  /// Stops when is_cancelled() becomes true; use with std::stop_callback,
  /// or pass it on through CallOptions::from(context).
  std::stop_token cancellation() const noexcept { return stop_.get_token(); }

  /// Sent to the client before the response (unary: with it).
  void add_initial_metadata(std::string_view key, std::string_view value) {
    initial_metadata_.add(key, value);
  }
  /// Sent to the client with the final status.
  void add_trailing_metadata(std::string_view key, std::string_view value) {
    trailing_metadata_.add(key, value);
  }

 private:
  friend class detail::ServerCall;
  ServerContext() = default;

  std::string peer_;
  const PeerIdentity* peer_identity_ = nullptr;  // the connection's, which outlives the call
  std::string method_;
  CallKind kind_ = CallKind::kUnary;
  std::string principal_;
  Metadata client_metadata_;
  std::optional<Clock::time_point> deadline_;
  std::stop_source stop_;
  Metadata initial_metadata_;
  Metadata trailing_metadata_;
};

}  // namespace idlrpc
