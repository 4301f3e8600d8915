// The StreamCore of every streaming call, client or server: the typed
// stream API (stream.hpp) on one side, the call's StreamFlow on the other.
// An operation from the application is posted to the I/O thread, where the
// flow runs; the fast paths (read_now/write_now on the I/O thread,
// read_ahead/write_ahead from a blocking thread) complete without the post.
//
// Threads: the StreamCore operations may be called from any thread (each
// says where it runs); before_write() and the flow run on the I/O thread.
// The calls that derive from it (client/streaming_client_call.hpp,
// server/streaming_server_call.hpp) add how the call opens, ends and is
// cancelled.
#pragma once

#include <memory>

#include "idlrpc/detail/stream_core.hpp"
#include "transport/stream_flow.hpp"

namespace idlrpc::detail {

class FlowStream : public StreamCore {
 public:
  void read(ReadCallback callback) override;
  void write(OutFramePtr message, bool last, WriteCallback callback) override;
  void close_writes(WriteCallback callback) override;
  bool on_io_thread() const override;
  bool read_now(InMessagePtr& message, const CallResult*& end) override;
  WriteNow write_now(OutFramePtr& message, bool last) override;
  bool read_ahead(InMessagePtr& message, const CallResult*& end) override;
  bool write_ahead(OutFramePtr& message) override;
  boost::asio::any_io_executor executor() const override { return executor_; }
  // The operations of one side only: called on the other, they are our bug
  // (the typed API offers them on one side only).
  void finish(FinishCallback callback) override;
  void initial_metadata(MetadataCallback callback) override;
  void send_initial_metadata() override;

  /// Right after make_shared: what owns the call, kept alive by each
  /// posted operation (the call's own shared_ptr; FlowStream is one of its
  /// bases, and the other owns the enable_shared_from_this).
  void set_owner(const std::shared_ptr<void>& owner) noexcept { owner_ = owner; }

 protected:
  /// `executor`: the I/O thread of the call's connection.
  FlowStream(boost::asio::any_io_executor executor, StreamFlow::ErrorHandler on_error)
      : executor_(std::move(executor)), flow_(std::move(on_error)) {}

  /// The call, as a StreamCore that keeps it alive.
  std::shared_ptr<FlowStream> keep_alive() const noexcept { return {owner_.lock(), const_cast<FlowStream*>(this)}; }
  /// I/O thread, before a message of the application's goes out: the
  /// server sends its initial metadata here.
  virtual void before_write() {}

  boost::asio::any_io_executor executor_;
  StreamFlow flow_;

 private:
  std::weak_ptr<void> owner_;
};

}  // namespace idlrpc::detail
