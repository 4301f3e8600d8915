// Waiting for a channel's connectivity state to change, asynchronously,
// with any Asio completion token (the blocking form is
// Channel::wait_for_state_change in channel.hpp, which stays free of Asio).
//
// Threads: start a wait from any thread; it completes on the handler's
// associated executor (none: on the channel's I/O thread).
#pragma once

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>

#include "idlrpc/channel.hpp"
#include "idlrpc/connectivity_state.hpp"
#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/detail/completion.hpp"

namespace idlrpc {

namespace detail {

/// Hears, once, on the channel's I/O thread, whether the state changed.
class StateWatchSink {
 public:
  virtual ~StateWatchSink() = default;
  virtual void on_state_change(bool changed) = 0;
};

/// Starts a wait on `channel` (any thread). Returns a thread-safe,
/// idempotent cancel: the wait then ends with false unless it ended first.
std::function<void()> watch_state(const Channel& channel, ConnectivityState last_seen,
                                  std::chrono::steady_clock::time_point deadline,
                                  std::shared_ptr<StateWatchSink> sink);

template <class Handler>
class StateWatchCompletion final : public StateWatchSink {
 public:
  StateWatchCompletion(Handler handler, boost::asio::any_io_executor io)
      : handler_(std::move(handler)), io_(std::move(io)) {}
  void on_state_change(bool changed) override { complete_with(std::move(handler_), io_, changed); }

 private:
  Handler handler_;
  boost::asio::any_io_executor io_;
};

}  // namespace detail

/// Waits until `channel`'s state is other than `last_seen` (at once if it
/// already is) or `deadline` passes; `token` receives (bool changed):
/// false at the deadline, or when the wait was cancelled through the
/// handler's cancellation slot. The wait does not keep the channel alive:
/// if the channel goes away meanwhile, it completes with true (the state
/// is then ConnectivityState::shutdown).
template <class CompletionToken>
auto async_wait_for_state_change(const Channel& channel, ConnectivityState last_seen,
                                 std::chrono::steady_clock::time_point deadline, CompletionToken&& token) {
  auto initiation = [](auto handler, Channel channel, ConnectivityState last_seen,
                       std::chrono::steady_clock::time_point deadline) {
    using Handler = std::decay_t<decltype(handler)>;
    // Taken before the wait starts: once started, it may complete (and the
    // handler be moved away) on the I/O thread at any moment.
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    auto sink = std::make_shared<detail::StateWatchCompletion<Handler>>(std::move(handler), channel.executor());
    auto cancel = detail::watch_state(channel, last_seen, deadline, std::move(sink));
    if (slot.is_connected()) {
      slot.assign([cancel = std::move(cancel)](boost::asio::cancellation_type) { cancel(); });
    }
  };
  return boost::asio::async_initiate<CompletionToken, void(bool)>(initiation, token, channel, last_seen, deadline);
}

}  // namespace idlrpc
