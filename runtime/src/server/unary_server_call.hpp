// A unary call on the server: one MESSAGE in, decoded on the I/O thread
// straight from the read buffer, then the handler, then one MESSAGE and
// TRAILERS out (server_call.hpp). Allocates no stream flow.
#pragma once

#include "server/server_call.hpp"
#include "transport/in_message.hpp"
#include "transport/input_account.hpp"

namespace idlrpc::detail {

class UnaryServerCall final : public ServerCall {
 public:
  UnaryServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
                  protocol::Headers::Reader headers)
      : ServerCall(std::move(connection), id, method, headers) {}

 private:
  void on_call_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_admitted() override;
  void on_end(StatusCode code, const std::string& message) override;
  void run(capnp::AnyPointer::Reader request);

  enum class Request { kAwaited, kReceived };
  Request request_ = Request::kAwaited;
  InputCharge request_charge_;  // the request's input, held until the call ends (docs/robustness.md)
  // A request that arrived while an interceptor was still deciding: kept
  // (with its charge) until the call ends.
  InMessagePtr waiting_request_;
};

}  // namespace idlrpc::detail
