// A streaming call on the client (server, client or bidirectional
// streaming): HEADERS, then messages both ways under flow control, ending
// with the server's TRAILERS or a local end (deadline, cancellation,
// connection failure).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stop_token>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "client/client_stream.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "transport/stream_flow.hpp"

namespace idlrpc::detail {

class ChannelCore;

class StreamClientCall final : public ClientStream,
                               public StreamCore,
                               public std::enable_shared_from_this<StreamClientCall> {
 public:
  StreamClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, const CallOptions& options);

  // StreamCore: any thread; each posts to the I/O thread.
  void read(ReadCallback callback) override;
  void write(OutFramePtr message, bool last, WriteCallback callback) override;
  void close_writes(WriteCallback callback) override;
  void finish(FinishCallback callback) override;
  void cancel(StatusCode code, std::string message) override;
  boost::asio::any_io_executor executor() const override;

  // I/O thread.
  void start();
  bool begin(ClientConnection& connection, std::uint32_t id) override;
  void on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void fail(StatusCode code, const std::string& message) override;

 private:
  void abandon(StatusCode code, const std::string& message);
  void complete(StatusCode code, std::string message, bool discard_unread);

  struct CancelOnStop {
    StreamClientCall* call;
    void operator()() const { call->cancel(StatusCode::CANCELLED, "call cancelled by the client"); }
  };

  std::shared_ptr<ChannelCore> channel_;
  MethodInfo method_;
  std::optional<Clock::time_point> deadline_;
  Metadata metadata_;
  std::stop_token cancellation_;
  ResponseMetadata* response_metadata_;

  StreamFlow flow_;
  std::weak_ptr<ClientConnection> connection_;
  std::uint32_t id_ = 0;
  std::optional<boost::asio::steady_timer> deadline_timer_;
  std::optional<std::stop_callback<CancelOnStop>> stop_callback_;
  CallResult result_;
  std::vector<FinishCallback> finish_callbacks_;
  bool done_ = false;
};

}  // namespace idlrpc::detail
