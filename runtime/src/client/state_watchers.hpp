// A channel's connectivity state as others see it, and the waits for it to
// change (Channel::wait_for_state_change, async_wait_for_state_change).
// The channel computes the state; this keeps it readable from any thread
// and tells each wait once: changed, deadline passed, or cancelled.
//
// Threads: state() anywhere; everything else on the channel's I/O thread.
// Ownership: the channel holds its StateWatchers; pending watches are held
// here and by their deadline timer, and only weakly by their cancel
// function, so a wait keeps neither itself nor the channel alive.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/channel_watch.hpp"
#include "idlrpc/connectivity_state.hpp"

namespace idlrpc::detail {

/// One wait: ends once, through finish().
class StateWatch : public std::enable_shared_from_this<StateWatch> {
 public:
  StateWatch(boost::asio::any_io_executor executor, ConnectivityState last_seen,
             std::chrono::steady_clock::time_point deadline, std::shared_ptr<StateWatchSink> sink);

  ConnectivityState last_seen() const noexcept { return last_seen_; }
  bool pending() const noexcept { return sink_ != nullptr; }
  /// Starts the deadline (which ends the wait with false).
  void arm();
  /// Ends the wait (once; later calls do nothing).
  void finish(bool changed);

 private:
  ConnectivityState last_seen_;
  boost::asio::steady_timer deadline_;
  std::shared_ptr<StateWatchSink> sink_;  // null once finished
};

class StateWatchers {
 public:
  explicit StateWatchers(ConnectivityState initial) : state_(initial) {}

  ConnectivityState state() const noexcept { return state_.load(std::memory_order_acquire); }
  /// The channel's state is now `state`: every wait for a change ends.
  void set(ConnectivityState state);
  /// Ends `watch` at once if the state is not its last_seen, else keeps it
  /// until a change or its deadline.
  void add(const std::shared_ptr<StateWatch>& watch);
  /// The channel is gone: the state is shutdown, every wait ends (true).
  void shut_down();

 private:
  std::atomic<ConnectivityState> state_;
  std::vector<std::shared_ptr<StateWatch>> watches_;  // pending ones (finished ones pruned on add)
};

}  // namespace idlrpc::detail
