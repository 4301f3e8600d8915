// The awaited unary call (idlrpc/unary_awaitable.hpp): start_unary_call()
// with a sink that resumes the awaiting coroutine, compiled once here so
// that a file that co_awaits co_<Method> parses no Asio.
//
// Threading: start() runs on the awaiting coroutine's thread, inside its
// await_suspend. The call always begins on the channel's I/O thread
// (start_unary_call posts it), so on_response and on_complete run there,
// never inside start(): the coroutine is never resumed before
// await_suspend returns. on_complete resumes it inline, as Asio's
// use_awaitable does when its handler is dispatched on the I/O thread,
// marked as an I/O thread for the while (t_on_io_thread); the
// awaitable (in the coroutine's frame) outlives every write the sink makes,
// and the sink touches nothing of it after the resumption.
#include <memory>
#include <utility>

#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/start_call.hpp"
#include "idlrpc/detail/sync_waiter.hpp"
#include "idlrpc/error.hpp"
#include "idlrpc/unary_call.hpp"

namespace idlrpc::detail {

class AwaitedUnarySink final : public UnaryResponseSink {
 public:
  AwaitedUnarySink(AwaitedUnaryCall& call, std::coroutine_handle<> awaiting, void* response)
      : call_(&call), awaiting_(awaiting), response_(response) {}

  void on_response(capnp::AnyPointer::Reader payload) override {
    call_->decode_(ResponsePayload{payload}, response_);
  }

  void on_complete(CallResult result) override {
    if (result.code != StatusCode::OK) call_->error_ = make_rpc_error(std::move(result));
    // The last touch of the awaitable: from here the coroutine owns it
    // again (and may destroy it before resume() returns).
    call_ = nullptr;
    response_ = nullptr;
    // While the coroutine runs here it is on an I/O thread: blocking calls
    // it makes (to any channel) and sync_wait() throw rather than hang.
    const bool was_io_thread = std::exchange(t_on_io_thread, true);
    std::exchange(awaiting_, {}).resume();
    t_on_io_thread = was_io_thread;
  }

 private:
  AwaitedUnaryCall* call_;
  std::coroutine_handle<> awaiting_;
  void* response_;
};

AwaitedUnaryCall::AwaitedUnaryCall(const Channel& channel, const MethodInfo& method, OutFramePtr request,
                                   const CallOptions& options, DecodeResponseFn decode)
    : channel_(channel), method_(&method), request_(std::move(request)), options_(options), decode_(decode) {}
AwaitedUnaryCall::AwaitedUnaryCall(AwaitedUnaryCall&& other) noexcept = default;
AwaitedUnaryCall::~AwaitedUnaryCall() = default;

void AwaitedUnaryCall::start(std::coroutine_handle<> awaiting, void* response) {
  IDLRPC_REQUIRE(request_ != nullptr, "a co_<Method> call can be awaited once: this one was awaited already");
  // Nobody cancels an awaited call but its CallOptions (their stop token):
  // the canceller is not needed.
  start_unary_call(channel_, *method_, std::move(request_), options_,
                   std::make_shared<AwaitedUnarySink>(*this, awaiting, response));
}

}  // namespace idlrpc::detail
