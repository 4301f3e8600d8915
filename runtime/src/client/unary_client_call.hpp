// A unary call on the client: HEADERS + one MESSAGE out, then the server's
// (optional) HEADERS, one MESSAGE and TRAILERS back, or a local end:
// deadline, cancellation, connection failure.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>

#include <boost/asio/steady_timer.hpp>

#include "client/client_stream.hpp"
#include "idlrpc/detail/client_call.hpp"

namespace idlrpc::detail {

class ChannelCore;

class UnaryClientCall final : public ClientStream,
                              public CallCanceller,
                              public std::enable_shared_from_this<UnaryClientCall> {
 public:
  UnaryClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, OutFramePtr request,
                  const CallOptions& options, std::shared_ptr<UnaryResponseSink> sink);

  /// Any thread.
  void cancel() override;

  // I/O thread:
  void start();
  bool begin(ClientConnection& connection, std::uint32_t id) override;
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void fail(StatusCode code, const std::string& message) override;

 private:
  // Ends the call from our side: tells the server (if it knows the call)
  // and completes with `code`.
  void abandon(StatusCode code, const std::string& message);
  void complete(StatusCode code, std::string message);

  // Posts cancel() from whichever thread requests the stop.
  struct CancelOnStop {
    UnaryClientCall* call;
    void operator()() const { call->cancel(); }
  };

  std::shared_ptr<ChannelCore> channel_;
  MethodInfo method_;
  OutFramePtr request_;
  std::optional<Clock::time_point> deadline_;
  Metadata metadata_;
  std::stop_token cancellation_;
  ResponseMetadata* response_metadata_;
  std::shared_ptr<UnaryResponseSink> sink_;

  std::weak_ptr<ClientConnection> connection_;
  std::uint32_t id_ = 0;
  std::optional<boost::asio::steady_timer> deadline_timer_;
  std::optional<std::stop_callback<CancelOnStop>> stop_callback_;
  CallResult result_;
  bool has_response_ = false;
  bool done_ = false;
};

}  // namespace idlrpc::detail
