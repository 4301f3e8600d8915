#include "client/channel_core.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "client/client_runtime.hpp"
#include "client/resolvers.hpp"
#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "log.hpp"
#include "transport/tls_context.hpp"

namespace idlrpc::detail {
namespace {

constexpr std::string_view kTlsScheme = "tls://";

}  // namespace

ChannelCore::ChannelCore(std::string target, const ChannelOptions& options)
    : target_(std::move(target)),
      options_(options),
      keepalive_(std::make_shared<ClientKeepalive>(options)),
      executor_(client_executor()),
      throttle_(options.retry_budget),
      watchers_(std::make_unique<StateWatchers>(ConnectivityState::idle)) {
  std::string_view resolved = target_;
  if (resolved.starts_with(kTlsScheme)) {
    resolved.remove_prefix(kTlsScheme.size());
    if (!options_.tls) options_.tls.emplace();
  }
  resolved_target_ = resolved;
  // Unusable settings fail each call with the reason, as a malformed target does.
  try {
    check_target(resolved_target_);
    if (options_.tls) {
      tls_.context = make_client_context(*options_.tls);
      tls_.verify_hostname = options_.tls->verify_hostname;
      // The name the certificate must carry: the one the user wrote
      // ("host:port", "dns:///name:port"), not the addresses it resolved
      // to; targets without one check each address's own host.
      tls_.server_name = options_.tls->server_name.empty() ? target_host(resolved_target_) : options_.tls->server_name;
    }
  } catch (const std::invalid_argument& e) {
    malformed_ = e.what();
  }
  watchers_->set(aggregate_state());
}

ChannelCore::~ChannelCore() {
  // The last handle is gone and no call holds us: nobody can use the
  // connections any more. They, the resolver and the timer belong to the
  // I/O thread, so they are released there.
  boost::asio::post(executor_, [subchannels = std::move(subchannels_), resolver = std::move(resolver_),
                                timer = std::move(first_resolution_timeout_),
                                watchers = std::move(watchers_)]() mutable {
    subchannels.clear();
    resolver.reset();
    timer.reset();
    watchers->shut_down();  // waits still pending hear "changed": the state is shutdown
  });
}

void ChannelCore::request_connection() {
  boost::asio::post(executor_, [self = shared_from_this()] {
    if (self->malformed_.empty() && !self->resolver_) self->start_resolving();
    self->connect_requested_ = true;
    self->dispatch();
  });
}

std::function<void()> ChannelCore::watch_state(ConnectivityState last_seen,
                                               std::chrono::steady_clock::time_point deadline,
                                               std::shared_ptr<StateWatchSink> sink) {
  auto watch = std::make_shared<StateWatch>(executor_, last_seen, deadline, std::move(sink));
  std::weak_ptr<StateWatch> weak = watch;
  // The channel strongly until registered: it cannot go away in between.
  // The watch moves there: its timer is dropped on the I/O thread.
  boost::asio::post(executor_, [self = shared_from_this(), watch = std::move(watch)] { self->watchers_->add(watch); });
  return [executor = executor_, weak = std::move(weak)] {
    boost::asio::post(executor, [weak] {
      if (auto watch = weak.lock()) watch->finish(false);
    });
  };
}

ConnectivityState ChannelCore::aggregate_state() const {
  if (!malformed_.empty()) return ConnectivityState::transient_failure;
  if (!resolver_) return ConnectivityState::idle;         // nothing asked for a connection yet
  if (!resolved_) return ConnectivityState::connecting;   // the first resolution
  if (any(&Subchannel::ready)) return ConnectivityState::ready;
  if (any(&Subchannel::connecting)) return ConnectivityState::connecting;
  if (subchannels_.empty()) return ConnectivityState::transient_failure;  // resolved to nothing
  const bool all_idle =
      std::all_of(subchannels_.begin(), subchannels_.end(), [](const auto& s) { return s->idle(); });
  return all_idle ? ConnectivityState::idle : ConnectivityState::transient_failure;
}

bool ChannelCore::any(bool (Subchannel::*state)() const noexcept) const {
  return std::any_of(subchannels_.begin(), subchannels_.end(), [&](const auto& s) { return ((*s).*state)(); });
}

void ChannelCore::submit(std::shared_ptr<ClientCall> call) {
  if (malformed_.empty() && !resolver_) start_resolving();
  if (!malformed_.empty()) {
    // Even a call that waits for ready: this target can never work.
    watchers_->set(aggregate_state());
    call->fail(StatusCode::UNAVAILABLE, malformed_);
    return;
  }
  if (Subchannel* subchannel = pick()) {
    subchannel->open(std::move(call));
    return;
  }
  if (nothing_to_wait_for() && !call->waits_for_ready()) {
    call->fail(StatusCode::UNAVAILABLE, why_unavailable(true));  // every address is backing off
    return;
  }
  waiting_.push_back(std::move(call));
  dispatch();
}

void ChannelCore::start_resolving() {
  // Weak: a report that comes after the channel is gone is dropped.
  ResolverSink sink([weak = weak_from_this(), executor = executor_](Resolution resolution) {
    boost::asio::post(executor, [weak, resolution = std::move(resolution)]() mutable {
      if (auto self = weak.lock()) self->on_resolution(std::move(resolution));
    });
  });
  try {
    resolver_ = make_resolver(resolved_target_, options_, executor_, std::move(sink));
  } catch (const std::exception& e) {
    malformed_ = e.what();
    return;
  }
  // A resolver that never answers must not hold calls forever.
  first_resolution_timeout_ = std::make_unique<boost::asio::steady_timer>(executor_, options_.connect_timeout);
  first_resolution_timeout_->async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (error || !self || self->resolved_) return;
    self->resolved_ = true;
    self->resolution_error_ =
        fmt::format("the resolver found nothing within {} ms", self->options_.connect_timeout.count());
    self->dispatch();
  });
}

void ChannelCore::on_resolution(Resolution resolution) {
  resolved_ = true;
  if (!resolution.error.empty()) {
    // Keep what we had: a failed lookup is not an empty answer.
    resolution_error_ = std::move(resolution.error);
    dispatch();
    return;
  }
  // pick_first stays on the address in use if it is still there.
  const Subchannel* in_use = next_ < subchannels_.size() ? subchannels_[next_].get() : nullptr;
  std::vector<std::shared_ptr<Subchannel>> next;
  for (const std::string& text : resolution.addresses) {
    Address address;
    try {
      address = parse_address(text);
    } catch (const std::invalid_argument& e) {
      log(LogLevel::kWarning, "channel {}: the resolver gave a bad address, skipped: {}", target_, e.what());
      continue;
    }
    const bool seen = std::any_of(next.begin(), next.end(), [&](const auto& s) { return s->name() == text; });
    if (seen) continue;
    auto existing = std::find_if(subchannels_.begin(), subchannels_.end(),
                                 [&](const auto& s) { return s && s->name() == text; });
    if (existing != subchannels_.end()) {
      next.push_back(std::move(*existing));  // keeps its connection
    } else {
      next.push_back(
          std::make_shared<Subchannel>(text, std::move(address), options_, tls_, keepalive_, executor_,
                                       weak_from_this()));
    }
  }
  for (auto& gone : subchannels_) {
    if (gone) gone->retire();  // drained: its calls finish, new ones go elsewhere
  }
  subchannels_ = std::move(next);
  const auto kept = std::find_if(subchannels_.begin(), subchannels_.end(),
                                 [&](const auto& s) { return s.get() == in_use; });
  next_ = kept == subchannels_.end() ? 0 : static_cast<std::size_t>(kept - subchannels_.begin());
  resolution_error_ = subchannels_.empty() ? "the target resolved to no addresses" : "";
  dispatch();
}

void ChannelCore::on_subchannel_changed(Subchannel& /*subchannel*/, bool lost) {
  if (lost && resolver_) resolver_->resolve_now();
  dispatch();
}

Subchannel* ChannelCore::pick() {
  const std::size_t n = subchannels_.size();
  if (n == 0) return nullptr;
  if (options_.lb_policy == LbPolicy::round_robin) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t at = (next_ + i) % n;
      if (subchannels_[at]->ready()) {
        next_ = (at + 1) % n;
        return subchannels_[at].get();
      }
    }
    return nullptr;
  }
  // pick_first: the one in use while it works, else the first ready one.
  if (next_ < n && subchannels_[next_]->ready()) return subchannels_[next_].get();
  for (std::size_t at = 0; at < n; ++at) {
    if (subchannels_[at]->ready()) {
      next_ = at;
      return subchannels_[at].get();
    }
  }
  return nullptr;
}

void ChannelCore::dispatch() {
  // Opening a call can report back synchronously (a connection that used
  // up its stream ids retires itself); that report is handled after this
  // pass, not inside it.
  if (dispatching_) {
    dispatch_again_ = true;
    return;
  }
  dispatching_ = true;
  do {
    dispatch_again_ = false;
    dispatch_once();
  } while (dispatch_again_);
  dispatching_ = false;
  // Every change of a subchannel, a resolution or a connect comes through
  // here; a wait that completes inline may make a call (and re-enter).
  watchers_->set(aggregate_state());
}

void ChannelCore::dispatch_once() {
  // Calls that ended while waiting (deadline, cancelled) are forgotten:
  // those that wait for ready can wait through many backoffs.
  std::erase_if(waiting_, [](const auto& call) { return call->done(); });
  // Calls that waited, in order, while something is ready.
  std::size_t sent = 0;
  for (; sent < waiting_.size(); ++sent) {
    Subchannel* subchannel = pick();
    if (subchannel == nullptr) break;
    subchannel->open(std::move(waiting_[sent]));
  }
  waiting_.erase(waiting_.begin(), waiting_.begin() + static_cast<std::ptrdiff_t>(sent));

  // The connects the policy wants: round_robin keeps every address
  // connected; pick_first connects one address at a time, in order from
  // the one last in use, and only when calls wait (or state(true) asked).
  if (options_.lb_policy == LbPolicy::round_robin) {
    for (auto& subchannel : subchannels_) subchannel->connect();  // idle ones only
    if (!subchannels_.empty()) connect_requested_ = false;
  } else if (any(&Subchannel::ready) || any(&Subchannel::connecting)) {
    connect_requested_ = false;
  } else if (!waiting_.empty() || connect_requested_) {
    const std::size_t n = subchannels_.size();
    for (std::size_t i = 0; i < n; ++i) {
      auto& subchannel = subchannels_[(next_ + i) % n];
      if (subchannel->idle()) {
        subchannel->connect();
        connect_requested_ = false;
        break;
      }
    }
  }

  // Nothing left to wait for: every address failed, or there are none.
  // Calls that wait for ready stay (a subchannel whose backoff ends comes
  // back here); the resolver is asked to look again, in case the
  // addresses moved (it keeps to its own least interval).
  if (!waiting_.empty() && nothing_to_wait_for()) {
    fail_waiting(why_unavailable(false));
    if (!waiting_.empty() && resolver_) resolver_->resolve_now();
  }
}

bool ChannelCore::nothing_to_wait_for() const {
  // A server that reports it is not serving has nothing to offer soon
  // either: its report may take long to change.
  return resolved_ && std::all_of(subchannels_.begin(), subchannels_.end(),
                                  [](const auto& s) { return s->failed() || s->unhealthy(); });
}

std::string ChannelCore::why_unavailable(bool fail_fast) const {
  if (subchannels_.empty()) {
    return status_text::no_addresses(target_, resolution_error_.empty() ? "not resolved yet" : resolution_error_);
  }
  // The address that will be tried soonest (all are backing off:
  // nothing_to_wait_for()).
  const Subchannel* soonest = nullptr;
  for (const auto& s : subchannels_) {
    if (s->failed() && (soonest == nullptr || s->retry_after() < soonest->retry_after())) soonest = s.get();
  }
  if (soonest == nullptr) {
    // All connected, none serving (nothing_to_wait_for()).
    return status_text::not_serving(target_, subchannels_.front()->unhealthy_reason());
  }
  // One address named as the target: today's message, word for word.
  const std::string failure =
      soonest->name() == target_ ? soonest->failure() : soonest->name() + ": " + soonest->failure();
  if (!fail_fast) return status_text::cannot_connect(target_, failure);
  const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(soonest->retry_after() -
                                                                          std::chrono::steady_clock::now());
  return status_text::backing_off(target_, failure, std::max<std::int64_t>(wait.count(), 0));
}

void ChannelCore::fail_waiting(const std::string& message) {
  std::vector<std::shared_ptr<ClientCall>> failing;
  std::vector<std::shared_ptr<ClientCall>> staying;
  for (auto& call : waiting_) (call->waits_for_ready() ? staying : failing).push_back(std::move(call));
  waiting_ = std::move(staying);
  for (auto& call : failing) call->fail(StatusCode::UNAVAILABLE, message);
}

}  // namespace idlrpc::detail
