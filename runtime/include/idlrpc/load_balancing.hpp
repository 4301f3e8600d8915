// How a Channel spreads calls over the addresses its target resolves to
// (docs/scaling.md).
#pragma once

#include <string_view>

namespace idlrpc {

enum class LbPolicy {
  /// One connection at a time: the first address (in resolution order) that
  /// connects takes every call until it fails; then the next. Today's
  /// behaviour for a "host:port" target.
  pick_first,
  /// A connection to every address; each call goes to the next ready one.
  round_robin,
};

/// "pick_first" or "round_robin"; throws std::invalid_argument naming the
/// policies otherwise (for command lines and configuration files).
LbPolicy lb_policy_from_name(std::string_view name);
std::string_view to_string(LbPolicy policy) noexcept;

}  // namespace idlrpc
