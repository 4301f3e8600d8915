// A streaming call on the client (server, client or bidirectional
// streaming): after HEADERS, messages flow both ways under flow control
// until the server's TRAILERS or a local end.
#pragma once

#include <memory>
#include <vector>

#include "client/client_stream.hpp"
#include "idlrpc/detail/stream_core.hpp"
#include "transport/stream_flow.hpp"

namespace idlrpc::detail {

class StreamClientCall final : public ClientStream, public StreamCore {
 public:
  StreamClientCall(std::shared_ptr<ChannelCore> channel, const MethodInfo& method, const CallOptions& options);

  // StreamCore: any thread; each posts to the I/O thread.
  void read(ReadCallback callback) override;
  void write(OutFramePtr message, bool last, WriteCallback callback) override;
  void close_writes(WriteCallback callback) override;
  void finish(FinishCallback callback) override;
  void cancel(StatusCode code, std::string message) override {
    flow_.close_writes_ahead();  // a write after cancel() fails, as it would have on the I/O thread
    flow_.end_reads_now(CallResult{code, message, {}, {}});  // and a read ends: nothing buffered is returned
    post_abandon(code, std::move(message));
  }
  boost::asio::any_io_executor executor() const override { return io_executor(); }
  bool on_io_thread() const override { return running_in_this_thread(io_executor()); }
  bool read_now(InMessagePtr& message, const CallResult*& end) override { return flow_.read_now(message, end); }
  WriteNow write_now(OutFramePtr& message, bool last) override { return flow_.write_now(message, last); }
  bool read_ahead(InMessagePtr& message, const CallResult*& end) override;
  bool write_ahead(OutFramePtr& message) override;

  void resume_writes() override { flow_.send_parked(); }

 private:
  std::shared_ptr<StreamClientCall> self() {
    return std::static_pointer_cast<StreamClientCall>(shared_from_this());
  }

  void on_opened(ClientConnection& connection, std::uint32_t id) override;
  void on_stream_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) override;
  void on_end(bool orderly) override;

  StreamFlow flow_;
  std::vector<FinishCallback> finish_callbacks_;
};

}  // namespace idlrpc::detail
