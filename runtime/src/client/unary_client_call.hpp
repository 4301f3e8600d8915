// A unary call on the client: HEADERS + one MESSAGE out, then the server's
// (optional) HEADERS, one MESSAGE and TRAILERS back; the typed sink decodes
// the response and hears how the call ended.
#pragma once

#include <memory>

#include "client/client_call.hpp"
#include "idlrpc/detail/start_call.hpp"
#include "transport/out_frame.hpp"

namespace idlrpc::detail {

class UnaryClientCall final : public ClientCall, public CallCanceller {
 public:
  UnaryClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, OutFramePtr request,
                  const CallOptions& options, std::shared_ptr<UnaryResponseSink> sink);

  /// Any thread.
  void cancel() override { post_abandon(StatusCode::CANCELLED, std::string(status_text::kCancelledByClient)); }

 private:
  bool admit_locally() override;
  bool admit(ClientConnection& connection) override;
  void on_opened(ClientConnection& connection, std::uint32_t id) override;
  void on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void check_trailers(StatusCode& code, std::string& message) override;
  void on_end(bool orderly) override;
  bool can_restart() const override { return request_ != nullptr && !has_response_; }
  void on_restart() override { has_response_ = false; }

  OutFramePtr request_;  // until sent, or until the call ends if kept for retries
  bool keep_request_;    // each attempt sends a copy
  std::shared_ptr<UnaryResponseSink> sink_;
  bool has_response_ = false;
};

}  // namespace idlrpc::detail
