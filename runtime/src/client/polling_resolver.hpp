// A resolver that looks up its target again and again: every `interval`,
// and sooner when asked (resolve_now(): a connection was lost or a server
// is going away) but never twice within `min_interval`. The lookup itself
// (a DNS query, reading a file) runs on the lookup thread; only a result
// that differs from the last one is reported. The "dns:" and "file:"
// resolvers are this with their own lookup.
//
// Threads: constructed, used and destroyed on the channel's I/O thread
// (`executor`); `lookup` runs on the lookup thread and must be safe there.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/resolver.hpp"

namespace idlrpc::detail {

class PollingResolver final : public Resolver {
 public:
  using Lookup = std::function<Resolution()>;
  PollingResolver(boost::asio::any_io_executor executor, Lookup lookup, std::chrono::milliseconds interval,
                  std::chrono::milliseconds min_interval, ResolverSink sink);
  ~PollingResolver() override;

  void resolve_now() override;

 private:
  // What outlives the resolver while a lookup is on the lookup thread.
  struct State {
    State(boost::asio::any_io_executor executor, Lookup lookup, ResolverSink sink)
        : timer(executor), executor(std::move(executor)), lookup(std::move(lookup)), sink(std::move(sink)) {}
    boost::asio::steady_timer timer;
    boost::asio::any_io_executor executor;
    Lookup lookup;
    ResolverSink sink;
    std::chrono::milliseconds interval;
    std::chrono::milliseconds min_interval;
    std::chrono::steady_clock::time_point last_start{};
    std::optional<Resolution> last;  // what was reported last
    bool looking = false;            // a lookup is on the lookup thread
    bool again = false;              // resolve_now() came during it
    bool stopped = false;
  };
  static void start_lookup(const std::shared_ptr<State>& state);
  static void schedule(const std::shared_ptr<State>& state, std::chrono::steady_clock::time_point when);

  std::shared_ptr<State> state_;
};

}  // namespace idlrpc::detail
