#include "idlrpc/load_balancing.hpp"

#include <stdexcept>
#include <string>

namespace idlrpc {

LbPolicy lb_policy_from_name(std::string_view name) {
  if (name == "pick_first") return LbPolicy::pick_first;
  if (name == "round_robin") return LbPolicy::round_robin;
  throw std::invalid_argument("unknown load-balancing policy \"" + std::string(name) +
                              "\" (expected pick_first or round_robin)");
}

std::string_view to_string(LbPolicy policy) noexcept {
  return policy == LbPolicy::round_robin ? "round_robin" : "pick_first";
}

}  // namespace idlrpc
