// The static description of one RPC method, shared by client and server.
#pragma once

#include <string_view>

namespace idlrpc {

/// gRPC's four call kinds.
enum class CallKind { kUnary, kServerStreaming, kClientStreaming, kBidiStreaming };

/// What idlc generates per method: `{"/pkg.Service/Method", CallKind::kUnary}`.
struct MethodInfo {
  std::string_view path;
  CallKind kind = CallKind::kUnary;
};

}  // namespace idlrpc
