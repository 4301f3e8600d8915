// Name resolution: what turns a Channel's target into the addresses it
// balances over. The built-in schemes are "host:port" (one address, looked
// up at each connect), "dns:", "ipv4:", "ipv6:", "unix:" and "file:"
// (docs/scaling.md); register_resolver() adds one of the application's own
// (etcd, Consul's HTTP API, a Kubernetes Endpoints watcher).
//
// Threads: a Resolver is created, asked to resolve_now() and destroyed on
// the channel's I/O thread, so it must not block there (do lookups on a
// thread or an executor of its own); its ResolverSink may be called from any
// thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace idlrpc {

struct ChannelOptions;

/// What a resolver found: the addresses to use now, or why it found none.
struct Resolution {
  /// "10.0.0.1:5000", "[2001:db8::1]:5000", "host:5000" (looked up again at
  /// each connect) or "unix:/path". Replaces the previous list: addresses
  /// no longer in it are drained (their calls finish, new calls go
  /// elsewhere), new ones are connected to.
  std::vector<std::string> addresses{};
  /// Set when the lookup failed: the channel keeps the addresses it had
  /// and, if it has none, fails calls with UNAVAILABLE and this text.
  std::string error{};
};

/// Where a resolver reports. Cheap to copy; callable from any thread, as
/// often as the resolver likes; a report to a channel that is gone is
/// dropped.
class ResolverSink {
 public:
  explicit ResolverSink(std::function<void(Resolution)> deliver) : deliver_(std::move(deliver)) {}
  void operator()(Resolution resolution) const { deliver_(std::move(resolution)); }

 private:
  std::function<void(Resolution)> deliver_;
};

/// A running resolver. It reports through its sink once it knows the
/// addresses and again whenever they change; destroying it stops it.
class Resolver {
 public:
  virtual ~Resolver() = default;
  /// A hint that the addresses may have changed (a connection was lost, a
  /// server is going away): look again soon. A resolver limits how often
  /// it acts on this itself.
  virtual void resolve_now() {}
};

/// What a factory is given. For "scheme://authority/path" and "scheme:path"
/// `authority` and `path` are the parts of the target.
struct ResolverArgs {
  std::string_view target{};
  std::string_view authority{};
  std::string_view path{};
  const ChannelOptions& options;
  ResolverSink sink;
};

/// Makes the resolver of a channel whose target has the factory's scheme;
/// throws std::invalid_argument when the target is malformed (every call on
/// the channel then fails with UNAVAILABLE and that message).
using ResolverFactory = std::function<std::unique_ptr<Resolver>(const ResolverArgs& args)>;

/// Any thread: channels created from now on resolve targets
/// "<scheme>:..." with `factory`. A scheme is letters, digits, '+', '-' and
/// '.', starting with a letter; the built-in schemes cannot be replaced.
/// Throws std::invalid_argument otherwise.
void register_resolver(std::string scheme, ResolverFactory factory);

}  // namespace idlrpc
