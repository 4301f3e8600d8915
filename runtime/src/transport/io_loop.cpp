#include "transport/io_loop.hpp"

#include <chrono>

#include "transport/poll_before_sleep.hpp"

namespace idlrpc::detail {

void run_io_loop(boost::asio::io_context& io, const std::atomic<std::int64_t>& poll_before_sleep_us) {
  using Clock = std::chrono::steady_clock;
  PollBeforeSleep policy;
  for (;;) {
    const std::chrono::microseconds bound{poll_before_sleep_us.load(std::memory_order_relaxed)};
    if (bound.count() > 0) {
      // poll() runs every handler that is ready, looking for I/O without
      // waiting; it returns 0 when there was none. Work found by this
      // first look says nothing about polling: the thread would not have
      // slept either.
      if (io.poll() > 0) continue;
      if (io.stopped()) return;  // stop(), or out of work as run() would return
      if (policy.should_poll()) {
        const bool ran = yield_until(Clock::now() + bound, [&] { return io.poll() > 0 || io.stopped(); });
        if (io.stopped()) return;
        policy.polled(ran);
        if (ran) continue;
      }
    }
    if (io.run_one() == 0) return;  // sleeps until there is a handler to run
  }
}

}  // namespace idlrpc::detail
