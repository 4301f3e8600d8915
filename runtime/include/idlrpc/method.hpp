// The static description of one RPC method, shared by client and server.
#pragma once

#include <string_view>

namespace idlrpc {

/// gRPC's four call kinds.
enum class CallKind { kUnary, kServerStreaming, kClientStreaming, kBidiStreaming };

/// Whether a call may be repeated safely: what the IDL's
/// `option idempotency_level = ...;` says (docs/language.md). A channel's
/// `idempotent_retry_policy` retries the calls of methods marked either way.
enum class Idempotency {
  kUnknown,        // not marked: never retried but by an explicit policy
  kNoSideEffects,  // NO_SIDE_EFFECTS: a read
  kIdempotent,     // IDEMPOTENT: repeating it changes nothing more
};

/// What idlc generates per method:
/// `{"/pkg.Service/Method", CallKind::kUnary}`, and the idempotency level
/// when the IDL set one.
struct MethodInfo {
  std::string_view path;
  CallKind kind = CallKind::kUnary;
  Idempotency idempotency = Idempotency::kUnknown;
};

}  // namespace idlrpc
