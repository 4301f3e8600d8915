// A streaming call on the server (server, client or bidirectional
// streaming): the handler starts as soon as HEADERS arrive and reads and
// writes through the call's StreamCore (the FlowStream half) while the
// ServerCall half runs it and sends the status.
#pragma once

#include <memory>

#include "server/server_call.hpp"
#include "transport/flow_stream.hpp"

namespace idlrpc::detail {

class StreamingServerCall final : public ServerCall, public FlowStream {
 public:
  StreamingServerCall(std::shared_ptr<ServerConnection> connection, std::uint32_t id, const MethodEntry& method,
                      protocol::Headers::Reader headers);

  // StreamCore (any thread) beyond what FlowStream does.
  void close_writes(WriteCallback callback) override;
  void send_initial_metadata() override;
  void cancel(StatusCode code, std::string message) override;

  void resume_writes() override { flow_.send_parked(); }

 private:
  void before_write() override { ServerCall::flush_initial_metadata(); }

  void on_open() override;
  void on_admitted() override;
  MessageCounts stream_counts() const override { return flow_.counts(); }
  void on_call_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_end(StatusCode code, const std::string& message) override;
};

}  // namespace idlrpc::detail
