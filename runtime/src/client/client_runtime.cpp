#include "client/client_runtime.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "idlrpc/channel.hpp"
#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/sync_waiter.hpp"
#include "transport/io_loop.hpp"
#include "transport/poll_before_sleep.hpp"

namespace idlrpc::detail {
namespace {

// set_client_poll_before_sleep(); read by the loop before each sleep.
std::atomic<std::int64_t> poll_before_sleep_us{50};

class ClientRuntime {
 public:
  ClientRuntime() : work_(io_.get_executor()), thread_([this] { run_io_loop(io_, poll_before_sleep_us); }) {}
  ~ClientRuntime() {
    work_.reset();
    io_.stop();
    thread_.join();
  }
  boost::asio::any_io_executor executor() { return io_.get_executor(); }

 private:
  boost::asio::io_context io_{1};  // one thread: handlers need no locking
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace

boost::asio::any_io_executor client_executor() {
  static ClientRuntime runtime;
  return runtime.executor();
}

bool poll_before_sleep(const std::atomic<bool>& done) noexcept {
  using Clock = std::chrono::steady_clock;
  const std::chrono::microseconds bound{poll_before_sleep_us.load(std::memory_order_relaxed)};
  if (done.load(std::memory_order_acquire)) return true;
  // Per thread: a caller whose replies keep coming late stops polling.
  thread_local PollBeforeSleep policy;
  if (bound.count() <= 0 || !policy.should_poll()) return false;
  const bool found = yield_until(Clock::now() + bound, [&] { return done.load(std::memory_order_acquire); });
  policy.polled(found);
  return found;
}

}  // namespace idlrpc::detail

namespace idlrpc {

void set_client_poll_before_sleep(std::chrono::microseconds time) {
  IDLRPC_REQUIRE(time.count() >= 0, "set_client_poll_before_sleep: the time must not be negative");
  detail::poll_before_sleep_us.store(time.count(), std::memory_order_relaxed);
}

}  // namespace idlrpc
