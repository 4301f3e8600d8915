// Authentication and authorization built on interceptors: bearer tokens
// (the server checks them with a function of yours; the client sends them
// as call credentials) and allow-lists of mutual-TLS identities. Status
// codes as gRPC users expect them: UNAUTHENTICATED when the caller did not
// prove who it is, PERMISSION_DENIED when it did and may not do this.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "idlrpc/interceptor.hpp"

namespace idlrpc {

// Server side.

/// Checks a bearer token: the caller's principal (a user or service name,
/// for ServerContext::principal()) if it is valid, nullopt if not. Runs on
/// an I/O thread: it must be quick (a signature check, a cache lookup).
using TokenValidator = std::function<std::optional<std::string>(std::string_view token)>;
/// The same, for a check that must wait (an introspection RPC).
using AsyncTokenValidator = std::function<Task<std::optional<std::string>>(std::string token)>;

/// Requires "authorization: Bearer <token>" metadata on every call and
/// checks it with `validate`. Missing, malformed or invalid:
/// UNAUTHENTICATED, and the handler never runs.
std::shared_ptr<ServerInterceptor> bearer_token_auth(TokenValidator validate);
std::shared_ptr<ServerInterceptor> bearer_token_auth_async(AsyncTokenValidator validate);

/// Which client certificates may call which methods (with mutual TLS).
struct PeerRule {
  /// "/pkg.Service/Method", "/pkg.Service/" (the whole service) or "/" (every method).
  std::string methods{};
  /// Certificate names allowed: DNS or URI SANs (SPIFFE IDs) compared
  /// exactly, or "*" for any certificate the server's CA verified.
  std::vector<std::string> peers{};
};

/// Lets a call through only if a rule matching its method names one of
/// the client certificate's SANs; sets the principal to that SAN. No
/// certificate: UNAUTHENTICATED; a certificate no matching rule names (or
/// no rule for the method): PERMISSION_DENIED.
std::shared_ptr<ServerInterceptor> allow_peers(std::vector<PeerRule> rules);

// Client side (CallOptions::credentials).

/// Sends "authorization: Bearer <token>".
std::shared_ptr<CallCredentials> bearer_token(std::string token);
/// Asks `source` for the token on every call (it may cache and refresh);
/// runs on an I/O thread, so it must not block.
std::shared_ptr<CallCredentials> bearer_token(std::function<std::string()> source);
/// For a source that must wait (fetching a fresh token).
std::shared_ptr<CallCredentials> bearer_token_async(std::function<Task<std::string>()> source);

}  // namespace idlrpc
