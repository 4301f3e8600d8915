#include "client/state_watchers.hpp"

#include <algorithm>
#include <utility>

namespace idlrpc::detail {

StateWatch::StateWatch(boost::asio::any_io_executor executor, ConnectivityState last_seen,
                       std::chrono::steady_clock::time_point deadline, std::shared_ptr<StateWatchSink> sink)
    : last_seen_(last_seen), deadline_(std::move(executor), deadline), sink_(std::move(sink)) {}

void StateWatch::arm() {
  // The timer's handler holds the watch until it runs: finish() cancels
  // it, so a watch that ended early does not linger until its deadline.
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    if (!error) self->finish(false);
  });
}

void StateWatch::finish(bool changed) {
  if (!sink_) return;
  auto sink = std::move(sink_);
  sink_ = nullptr;
  deadline_.cancel();
  sink->on_state_change(changed);
}

void StateWatchers::set(ConnectivityState state) {
  if (state_.load(std::memory_order_relaxed) == state) return;
  state_.store(state, std::memory_order_release);
  // Every pending wait saw the old state. Taken out first: a completion
  // that runs right here may start a new wait (which sees the new state).
  auto ending = std::exchange(watches_, {});
  for (auto& watch : ending) watch->finish(true);
}

void StateWatchers::add(const std::shared_ptr<StateWatch>& watch) {
  if (!watch->pending()) return;  // cancelled before it got here
  if (watch->last_seen() != state()) {
    watch->finish(true);
    return;
  }
  std::erase_if(watches_, [](const auto& w) { return !w->pending(); });  // deadlines passed, cancelled
  watches_.push_back(watch);
  watch->arm();
}

void StateWatchers::shut_down() { set(ConnectivityState::shutdown); }

}  // namespace idlrpc::detail
