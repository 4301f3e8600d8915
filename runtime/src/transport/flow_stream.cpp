#include "transport/flow_stream.hpp"

#include <boost/asio/post.hpp>

#include "idlrpc/detail/contract.hpp"
#include "transport/connection.hpp"

namespace idlrpc::detail {

void FlowStream::read(ReadCallback callback) {
  IDLRPC_REQUIRE(flow_.claim_read(), "a stream read while another read of it is in flight: wait for the first");
  boost::asio::post(executor(), [self = keep_alive(), callback = std::move(callback)]() mutable {
    self->flow_.read(std::move(callback));
  });
}

void FlowStream::write(OutFramePtr message, bool last, WriteCallback callback) {
  IDLRPC_REQUIRE(flow_.claim_write(),
                 "a stream write (or writes_done) while another of them is in flight: wait for the first");
  boost::asio::post(executor(), [self = keep_alive(), message = std::move(message), last,
                                 callback = std::move(callback)]() mutable {
    // Posted after whatever the application set before this write (its
    // initial metadata), so that goes out first.
    self->before_write();
    self->flow_.write(std::move(message), last, std::move(callback));
  });
}

void FlowStream::close_writes(WriteCallback callback) {
  IDLRPC_REQUIRE(flow_.claim_write(),
                 "a stream's writes_done while a write of it is in flight: wait for the write");
  boost::asio::post(executor(), [self = keep_alive(), callback = std::move(callback)]() mutable {
    self->flow_.close_writes(std::move(callback));
  });
}

void FlowStream::finish(FinishCallback) {
  IDLRPC_ASSERT(!"finish() on a server stream: the handler's return ends a server call");
}

void FlowStream::initial_metadata(MetadataCallback) {
  IDLRPC_ASSERT(!"initial_metadata() on a server stream: the client's is in ServerContext::client_metadata()");
}

void FlowStream::send_initial_metadata() {
  IDLRPC_ASSERT(!"send_initial_metadata() on a client stream: the client's metadata goes with its HEADERS");
}

bool FlowStream::on_io_thread() const { return running_in_this_thread(executor()); }

bool FlowStream::read_now(InMessagePtr& message, const CallResult*& end) { return flow_.read_now(message, end); }

StreamCore::WriteNow FlowStream::write_now(OutFramePtr& message, bool last) {
  before_write();
  return flow_.write_now(message, last);
}

bool FlowStream::read_ahead(InMessagePtr& message, const CallResult*& end) {
  std::uint32_t grant = 0;
  if (!flow_.read_ahead(message, end, grant)) return false;
  if (grant > 0) boost::asio::post(executor(), [self = keep_alive(), grant] { self->flow_.give_back(grant); });
  return true;
}

bool FlowStream::write_ahead(OutFramePtr& message) {
  bool schedule_drain = false;
  if (!flow_.hand_over(message, schedule_drain)) return false;
  if (schedule_drain) {
    boost::asio::post(executor(), [self = keep_alive()] {
      self->before_write();
      self->flow_.drain_handoff();
    });
  }
  return true;
}

}  // namespace idlrpc::detail
