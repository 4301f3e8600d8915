#include "idlrpc/channel.hpp"

#include "client/channel_core.hpp"
#include "idlrpc/channel_watch.hpp"
#include "idlrpc/detail/sync_waiter.hpp"

namespace idlrpc {
namespace {

// A blocked wait_for_state_change(): the I/O thread sets, the caller gets.
class BlockingStateWatch final : public detail::StateWatchSink {
 public:
  void on_state_change(bool changed) override { waiter_.set(nullptr, changed); }
  bool get() { return waiter_.get(); }

 private:
  detail::SyncWaiter<bool> waiter_;
};

}  // namespace

Channel::Channel(std::string target, ChannelOptions options)
    : core_(std::make_shared<detail::ChannelCore>(std::move(target), options)) {}

const std::string& Channel::target() const noexcept { return core_->target(); }

boost::asio::any_io_executor Channel::executor() const { return core_->executor(); }

ConnectivityState Channel::state(bool try_to_connect) const {
  const ConnectivityState now = core_->state();
  if (try_to_connect && now == ConnectivityState::idle) core_->request_connection();
  return now;
}

bool Channel::wait_for_state_change(ConnectivityState last_seen, std::chrono::steady_clock::time_point deadline) const {
  detail::check_may_block(detail::on_thread_of(core_->executor()), "Channel::wait_for_state_change",
                          "async_wait_for_state_change (idlrpc/channel_watch.hpp)");
  auto watch = std::make_shared<BlockingStateWatch>();
  core_->watch_state(last_seen, deadline, watch);
  return watch->get();
}

namespace detail {

std::function<void()> watch_state(const Channel& channel, ConnectivityState last_seen,
                                  std::chrono::steady_clock::time_point deadline,
                                  std::shared_ptr<StateWatchSink> sink) {
  return ChannelAccess::core(channel)->watch_state(last_seen, deadline, std::move(sink));
}

}  // namespace detail
}  // namespace idlrpc
