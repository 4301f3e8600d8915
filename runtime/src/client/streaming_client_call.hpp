// A streaming call on the client (server, client or bidirectional
// streaming): after HEADERS, messages flow both ways under flow control
// (the FlowStream half) until the server's TRAILERS or a local end (the
// ClientCall half).
#pragma once

#include <memory>
#include <vector>

#include "client/client_call.hpp"
#include "transport/flow_stream.hpp"

namespace idlrpc::detail {

class StreamingClientCall final : public ClientCall, public FlowStream {
 public:
  StreamingClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, const CallOptions& options);

  // StreamCore (any thread) beyond what FlowStream does.
  void finish(FinishCallback callback) override;
  void initial_metadata(MetadataCallback callback) override;
  void cancel(StatusCode code, std::string message) override;

  void resume_writes() override { flow_.send_parked(); }

 private:
  void on_opened(ClientConnection& connection, std::uint32_t id) override;
  void on_initial_metadata() override;
  void on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_end(bool orderly) override;
  MessageCounts message_counts() const override { return flow_.counts(); }

  std::vector<FinishCallback> finish_callbacks_;
  // The server's initial metadata is known once its HEADERS, a message or
  // the end arrived (HEADERS are optional: without them it is empty).
  bool initial_metadata_known_ = false;
  std::vector<MetadataCallback> metadata_callbacks_;
};

}  // namespace idlrpc::detail
