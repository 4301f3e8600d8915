#include "idlrpc/error.hpp"

#include <fmt/format.h>

#include "idlrpc/detail/call_result.hpp"

namespace idlrpc {

Error::Error(StatusCode code, std::string message)
    : std::runtime_error(fmt::format("{}: {}", to_string(code), message)),
      code_(code),
      message_(std::move(message)) {}

RpcError::RpcError(StatusCode code, std::string message, Metadata trailing_metadata)
    : Error(code, std::move(message)), trailing_metadata_(std::move(trailing_metadata)) {}

namespace detail {

std::exception_ptr make_rpc_error(CallResult&& result) {
  return std::make_exception_ptr(
      RpcError(result.code, std::move(result.message), std::move(result.trailing_metadata)));
}

}  // namespace detail
}  // namespace idlrpc
