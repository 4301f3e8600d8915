#include "client/client_keepalive.hpp"

#include <algorithm>
#include <string>

#include "log.hpp"
#include "testing/keepalive_floor.hpp"

namespace idlrpc::detail {
namespace {

// "30 s", "5 min", "250 ms": what an operator would write.
std::string describe(std::chrono::milliseconds interval) {
  const auto ms = interval.count();
  if (ms % 60000 == 0) return fmt::format("{} min", ms / 60000);
  if (ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
  return fmt::format("{} ms", ms);
}

}  // namespace

ClientKeepalive::ClientKeepalive(const ChannelOptions& options) {
  settings_.timeout = options.keepalive_timeout;
  settings_.without_calls = options.keepalive_without_calls;
  if (options.keepalive_time.count() > 0) {
    settings_.time = std::max(options.keepalive_time, client_keepalive_floor());
  }
}

void ClientKeepalive::on_too_many_pings(std::string_view peer, std::chrono::milliseconds used) {
  if (!settings_.enabled() || used < settings_.time) return;  // already doubled for this
  const auto doubled = used * 2;
  log(LogLevel::kWarning,
      "server at {} refused pings every {} (GOAWAY too_many_pings: its min_ping_interval is longer, 5 min by "
      "default{}); keepalive_time {} doubled to {} for new connections: set ChannelOptions::keepalive_time to at "
      "least the server's min_ping_interval",
      peer, describe(used), settings_.without_calls ? ", 2 h while no call is open" : "", describe(used),
      describe(doubled));
  settings_.time = doubled;
}

}  // namespace idlrpc::detail
