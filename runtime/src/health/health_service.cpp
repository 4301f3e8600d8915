#include "health/health_service.hpp"

#include <chrono>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "idlrpc/error.hpp"

namespace idlrpc::detail {

using health::v1::HealthCheckRequest;
using health::v1::HealthCheckResponse;

Task<HealthCheckResponse> HealthService::Check(ServerContext&, const HealthCheckRequest& request) {
  const auto status = state_->get(request.service);
  if (!status) throw Error(StatusCode::NOT_FOUND, fmt::format("unknown service \"{}\"", request.service));
  co_return HealthCheckResponse{.status = *status};
}

Task<void> HealthService::Watch(ServerContext& context, const HealthCheckRequest& request,
                                AsyncServerWriter<HealthCheckResponse>& writer) {
  using Clock = std::chrono::steady_clock;
  namespace asio = boost::asio;
  // The state wakes this coroutine by moving its timer's expiry to the
  // past, on this call's I/O thread: that cancels a wait in progress and
  // makes the next wait return at once, so a change made while the
  // coroutine is busy writing is not lost.
  auto executor = co_await asio::this_coro::executor;
  auto wake = std::make_shared<asio::steady_timer>(executor);
  HealthState::Subscription subscription(*state_, [wake, executor] {
    asio::post(executor, [wake] { wake->expires_at(Clock::time_point::min()); });
  });
  std::optional<health::v1::ServingStatus> sent;
  for (;;) {
    wake->expires_at(Clock::time_point::max());
    // The phase before the status: once it reads shutting down, the status
    // read after it is the final NOT_SERVING.
    const bool shutting_down = state_->phase() == HealthState::Phase::kShuttingDown;
    const auto status = state_->get(request.service).value_or(health::v1::ServingStatus::SERVICE_UNKNOWN);
    if (status != sent) {
      const HealthCheckResponse response{.status = status};  // named: GCC 12 (docs/generated-code.md)
      if (!co_await writer.write(response)) co_return;  // the client went away
      sent = status;
    }
    // NOT_SERVING has been sent: end the call, so it does not hold the
    // server's shutdown for the whole grace period.
    if (shutting_down) co_return;
    (void)co_await wake->async_wait(asio::as_tuple(asio::use_awaitable));
    if (context.is_cancelled() ||
        (co_await asio::this_coro::cancellation_state).cancelled() != asio::cancellation_type::none) {
      co_return;
    }
  }
}

}  // namespace idlrpc::detail
