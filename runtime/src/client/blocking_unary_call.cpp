// The blocking unary call (idlrpc/unary_call.hpp): the asynchronous call of
// start_unary_call() plus a SyncWaiter, compiled once here rather than in
// every file that makes a blocking call.
//
// Threading: the caller blocks in wait(); on_response and on_complete run
// on the channel's I/O thread, on_complete last (UnaryResponseSink's
// contract), and the waiter orders them before wait() returns. The response
// is decoded straight into the caller's object: the caller cannot leave
// before on_complete, so it outlives every write.
#include "idlrpc/unary_call.hpp"

#include <memory>
#include <utility>

#include <boost/asio/any_io_executor.hpp>

#include "idlrpc/detail/start_call.hpp"
#include "idlrpc/detail/sync_waiter.hpp"

namespace idlrpc::detail {
namespace {

class BlockingUnarySink final : public UnaryResponseSink {
 public:
  BlockingUnarySink(DecodeResponseFn decode, void* response) : decode_(decode), response_(response) {}

  void on_response(capnp::AnyPointer::Reader payload) override { decode_(ResponsePayload{payload}, response_); }
  void on_complete(CallResult result) override {
    waiter_.set(result.code == StatusCode::OK ? nullptr : make_rpc_error(std::move(result)), true);
  }
  /// Blocks until on_complete(); throws the RpcError of a failed call.
  void wait() { waiter_.get(); }

 private:
  DecodeResponseFn decode_;
  void* response_;
  SyncWaiter<bool> waiter_;
};

}  // namespace

void blocking_unary_call(const Channel& channel, const MethodInfo& method, OutFramePtr request,
                         const CallOptions& options, DecodeResponseFn decode, void* response) {
  check_may_block(on_thread_of(channel.executor()), "the unary call ",
                  "its async_ form (co_await client.async_<Method>(request, asio::use_awaitable), or a callback)",
                  method.path);
  auto sink = std::make_shared<BlockingUnarySink>(decode, response);
  // Nobody cancels a blocking call but its CallOptions: the canceller is not needed.
  start_unary_call(channel, method, std::move(request), options, sink);
  sink->wait();
}

}  // namespace idlrpc::detail
