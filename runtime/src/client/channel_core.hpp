// What a Channel handle points to: the target and its resolver, one
// subchannel (a connection to one address, subchannel.hpp) per address the
// resolver reported, the load-balancing pick among the ready ones, and the
// calls waiting for one to become ready; its connectivity state, the
// aggregate of its subchannels' (state_watchers.hpp).
//
// Threads: the constructor, the accessors, state(), request_connection()
// and watch_state() run anywhere; everything else on the channel's I/O
// thread.
// Ownership: Channel handles and the calls in flight hold the core; the
// core holds its resolver and subchannels (released on the I/O thread),
// which refer back to it weakly.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "client/client_call.hpp"
#include "client/retry_throttle.hpp"
#include "client/state_watchers.hpp"
#include "client/subchannel.hpp"
#include "idlrpc/channel.hpp"
#include "idlrpc/channel_watch.hpp"
#include "idlrpc/resolver.hpp"

namespace idlrpc::detail {

class ChannelCore : public std::enable_shared_from_this<ChannelCore> {
 public:
  /// A malformed target does not throw: every call fails with what is
  /// wrong with it (the mistake shows where the call is made and handled).
  ChannelCore(std::string target, const ChannelOptions& options);
  ~ChannelCore();

  const std::string& target() const noexcept { return target_; }
  const ChannelOptions& options() const noexcept { return options_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }
  RetryThrottle& retry_throttle() noexcept { return throttle_; }

  /// Opens `call` on a ready subchannel (the policy's pick), or keeps it
  /// until one is ready. Fails it with UNAVAILABLE at once when no address
  /// can take it now (all backing off after failed connects, none
  /// resolved), unless it waits for ready: then it stays until a
  /// subchannel is ready or it ends (deadline, cancellation).
  void submit(std::shared_ptr<ClientCall> call);

  /// Any thread: the connectivity state now.
  ConnectivityState state() const noexcept { return watchers_->state(); }
  /// Any thread: an idle channel starts connecting as for a call.
  void request_connection();
  /// Any thread: `sink` hears once whether the state left `last_seen`
  /// before `deadline`; the returned function cancels (any thread).
  std::function<void()> watch_state(ConnectivityState last_seen, std::chrono::steady_clock::time_point deadline,
                                    std::shared_ptr<StateWatchSink> sink);

  /// A subchannel's state changed; `lost` when a connection that worked
  /// went away or is going away (the addresses may have changed).
  void on_subchannel_changed(Subchannel& subchannel, bool lost);

 private:
  void start_resolving();
  void on_resolution(Resolution resolution);
  /// Waiting calls to ready subchannels; the connects the policy wants;
  /// failing the waiting calls when nothing is left to wait for.
  void dispatch();
  void dispatch_once();
  /// The policy's choice among the ready subchannels, or null.
  Subchannel* pick();
  bool any(bool (Subchannel::*state)() const noexcept) const;
  /// Resolved, and no address can take a call soon: there are none, or
  /// all are backing off after failed connects.
  bool nothing_to_wait_for() const;
  /// Why no call can go out now (nothing ready, connecting or idle).
  std::string why_unavailable(bool fail_fast) const;
  /// Fails the waiting calls that do not wait for ready.
  void fail_waiting(const std::string& message);
  /// The aggregate of the subchannels' states (ConnectivityState's rule).
  ConnectivityState aggregate_state() const;

  std::string target_;
  std::string resolved_target_;  // the target without "tls://"
  ChannelOptions options_;       // options.tls set by a "tls://" target too
  std::string malformed_;        // why the target (or its TLS) is unusable, or empty
  std::shared_ptr<ClientKeepalive> keepalive_;  // shared with the subchannels
  SubchannelTls tls_;            // the same for every address
  boost::asio::any_io_executor executor_;
  RetryThrottle throttle_;

  std::unique_ptr<Resolver> resolver_;  // made on the first call
  std::unique_ptr<boost::asio::steady_timer> first_resolution_timeout_;
  bool resolved_ = false;        // the resolver answered once (or was given up on)
  std::string resolution_error_;  // why the last resolution found nothing

  std::vector<std::shared_ptr<Subchannel>> subchannels_;  // in resolution order
  std::size_t next_ = 0;  // round_robin: where the next pick starts; pick_first: the one in use
  std::vector<std::shared_ptr<ClientCall>> waiting_;
  bool dispatching_ = false;
  bool dispatch_again_ = false;
  // state(true) on an idle channel: pick_first connects as if a call
  // waited, until an attempt starts.
  bool connect_requested_ = false;
  std::unique_ptr<StateWatchers> watchers_;  // released on the I/O thread, telling its waits "shutdown"
};

/// The runtime's way to a Channel's core (Channel keeps it private: it is
/// not part of the public API).
struct ChannelAccess {
  static const std::shared_ptr<ChannelCore>& core(const Channel& channel) noexcept { return channel.core_; }
};

}  // namespace idlrpc::detail
