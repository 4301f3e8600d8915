#include "client/health_watch.hpp"

#include <idlrpc/health/v1/health.idl.messages.h>

#include "client/client_connection.hpp"
#include "client/streaming_client_call.hpp"
#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/stream_ops.hpp"

namespace idlrpc::detail {
namespace {

// The descriptor the generated Health class declares, spelled out here so
// this file needs only the message types.
constexpr MethodInfo kWatch{"/idlrpc.health.v1.Health/Watch", CallKind::kServerStreaming};

}  // namespace

HealthWatch::HealthWatch(const std::shared_ptr<ChannelCore>& channel, ClientConnection& connection,
                         std::string_view service, Report report)
    : call_(std::make_shared<StreamingClientCall>(channel, kWatch, CallOptions{})),
      report_(std::make_shared<Report>(std::move(report))) {
  call_->set_owner(call_);
  // Queued until the stream opens; a new stream starts with send credit.
  const health::v1::HealthCheckRequest request{.service = std::string(service)};
  call_->write(encode_message(request), /*last=*/true, [](bool) {});
  call_->start_on(connection);
  read_next(call_, report_);
}

HealthWatch::~HealthWatch() {
  report_.reset();
  // Now, not posted: the CANCEL must be queued before the subchannel
  // closes the connection (the server then sees a call cancelled, not a
  // peer that vanished with a call in flight).
  call_->abandon(StatusCode::CANCELLED, "the subchannel no longer needs its health watch");
}

void HealthWatch::read_next(std::shared_ptr<StreamingClientCall> call, std::weak_ptr<Report> report) {
  StreamCore& core = *call;
  core.read([call = std::move(call), report = std::move(report)](InMessagePtr message, const CallResult* end) mutable {
    auto sink = report.lock();
    if (!sink) return;
    std::exception_ptr error;
    auto response = take_read<health::v1::HealthCheckResponse>(*call, std::move(message), end, false, error);
    if (response) {
      (*sink)(Reported{response->status});
      if (!report.expired()) read_next(std::move(call), std::move(report));
      return;
    }
    if (error) {
      // take_read() cancelled the call for a message that does not decode.
      try {
        std::rethrow_exception(error);
      } catch (const RpcError& e) {
        (*sink)(Ended{e.code(), e.message()});
      }
      return;
    }
    IDLRPC_ASSERT(end != nullptr);  // StreamCore's contract: no message means the end, and how
    (*sink)(Ended{end->code, end->message});
  });
}

}  // namespace idlrpc::detail
