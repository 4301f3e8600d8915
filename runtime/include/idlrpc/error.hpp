// The two exceptions of idlrpc's API: Error, which a handler throws to end a
// call with a status, and RpcError, which a client call throws when the call
// did not end OK.
#pragma once

#include <stdexcept>
#include <string>

#include "idlrpc/metadata.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc {

/// Thrown by a server handler to fail its call with `code` and `message`;
/// the client receives exactly that status. (Any other exception a handler
/// throws reaches the client as INTERNAL with the exception's what().)
class Error : public std::runtime_error {
 public:
  Error(StatusCode code, std::string message);

  StatusCode code() const noexcept { return code_; }
  /// The status message alone (what() also names the code).
  const std::string& message() const noexcept { return message_; }

 private:
  StatusCode code_;
  std::string message_;
};

/// Thrown by a client call that ended with any status but OK. It is an
/// Error, so a handler that lets a child call's failure escape forwards the
/// child's status (e.g. DEADLINE_EXCEEDED) to its own caller.
class RpcError : public Error {
 public:
  RpcError(StatusCode code, std::string message, Metadata trailing_metadata = {});

  /// The trailing metadata the server sent with the status.
  const Metadata& trailing_metadata() const noexcept { return trailing_metadata_; }

 private:
  Metadata trailing_metadata_;
};

}  // namespace idlrpc
