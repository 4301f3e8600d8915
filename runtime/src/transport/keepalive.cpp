#include "transport/keepalive.hpp"

#include <atomic>
#include <cstdint>

#include "testing/keepalive_floor.hpp"

namespace idlrpc::detail {
namespace {

// gRPC's minimum (gRFC A8): a client may not ping more often than this.
constexpr std::chrono::milliseconds kClientKeepaliveFloor{10000};
std::atomic<std::int64_t> floor_ms{kClientKeepaliveFloor.count()};

}  // namespace

std::chrono::milliseconds client_keepalive_floor() noexcept {
  return std::chrono::milliseconds(floor_ms.load(std::memory_order_relaxed));
}

std::chrono::milliseconds set_client_keepalive_floor_for_tests(std::chrono::milliseconds floor) noexcept {
  return std::chrono::milliseconds(floor_ms.exchange(floor.count(), std::memory_order_relaxed));
}

Keepalive::Step Keepalive::on_wake(Clock::time_point now, Clock::time_point last_read, bool calls_open) {
  if (const auto* awaiting = std::get_if<AwaitingReply>(&state_)) {
    if (last_read <= awaiting->sent) {
      const auto deadline = awaiting->sent + settings_.timeout;
      if (now >= deadline) return Dead{};
      return Sleep{deadline};
    }
    state_ = Watching{};  // the peer answered (or said anything): alive
  }
  const auto silent_from = last_read + settings_.time;
  if (now < silent_from) return Sleep{silent_from};
  // Silent, but with no call open nobody waits on the peer: look again
  // later (a client pings only for calls unless told otherwise).
  if (!calls_open && !settings_.without_calls) return Sleep{now + settings_.time};
  state_ = AwaitingReply{now};
  return SendPing{now + settings_.timeout};
}

std::optional<Keepalive::Clock::time_point> Keepalive::on_read(Clock::time_point now) {
  if (!std::holds_alternative<AwaitingReply>(state_)) return std::nullopt;  // the timer wakes in time anyway
  state_ = Watching{};
  return now + settings_.time;
}

}  // namespace idlrpc::detail
