#include "client/polling_resolver.hpp"

#include <boost/asio/post.hpp>

#include "client/lookup_thread.hpp"

namespace idlrpc::detail {
namespace {

bool same(const Resolution& a, const Resolution& b) { return a.addresses == b.addresses && a.error == b.error; }

}  // namespace

PollingResolver::PollingResolver(boost::asio::any_io_executor executor, Lookup lookup,
                                 std::chrono::milliseconds interval, std::chrono::milliseconds min_interval,
                                 ResolverSink sink)
    : state_(std::make_shared<State>(std::move(executor), std::move(lookup), std::move(sink))) {
  state_->interval = interval;
  state_->min_interval = std::min(min_interval, interval);
  start_lookup(state_);
}

PollingResolver::~PollingResolver() {
  state_->stopped = true;
  state_->timer.cancel();
}

void PollingResolver::resolve_now() {
  if (state_->looking) {
    state_->again = true;
    return;
  }
  schedule(state_, state_->last_start + state_->min_interval);
}

void PollingResolver::schedule(const std::shared_ptr<State>& state, std::chrono::steady_clock::time_point when) {
  // An earlier time wins over the one already set (resolve_now() before
  // the periodic lookup); cancelling completes the old wait with an error.
  if (state->timer.expiry() > std::chrono::steady_clock::now() && state->timer.expiry() <= when) return;
  state->timer.expires_at(when);
  state->timer.async_wait([weak = std::weak_ptr<State>(state)](const boost::system::error_code& error) {
    auto state = weak.lock();
    if (error || !state || state->stopped || state->looking) return;
    start_lookup(state);
  });
}

void PollingResolver::start_lookup(const std::shared_ptr<State>& state) {
  state->looking = true;
  state->again = false;
  state->last_start = std::chrono::steady_clock::now();
  run_lookup([state]() mutable {
    Resolution found = state->lookup();  // the lookup thread: the only part that blocks
    // Moved, so the state (and its timer) is only ever released on the I/O thread.
    auto executor = state->executor;
    boost::asio::post(executor, [state = std::move(state), found = std::move(found)]() mutable {
      state->looking = false;
      if (state->stopped) return;
      if (!state->last || !same(*state->last, found)) {
        state->last = found;
        state->sink(std::move(found));
      }
      const auto now = std::chrono::steady_clock::now();
      schedule(state, state->again ? state->last_start + state->min_interval : now + state->interval);
    });
  });
}

}  // namespace idlrpc::detail
