#include "transport/input_account.hpp"

#include <algorithm>

#include "idlrpc/detail/contract.hpp"

namespace idlrpc::detail {

InputAccount::InputAccount(std::uint32_t window_bytes, std::shared_ptr<InputTotal> total,
                           std::function<void(std::function<void()>)> post,
                           std::function<void(std::uint64_t)> return_credit)
    // Half a window, as for streams: one WINDOW_UPDATE per half window read.
    // A zero window (no connection-level flow control) returns nothing.
    : threshold_(window_bytes == 0 ? 0 : std::max<std::uint64_t>(window_bytes / 2, 1)),
      total_(std::move(total)),
      post_(std::move(post)),
      return_credit_(std::move(return_credit)) {}

void InputAccount::charge(std::size_t bytes) noexcept {
  held_.fetch_add(bytes, std::memory_order_relaxed);
  if (total_) total_->fetch_add(bytes, std::memory_order_relaxed);
}

void InputAccount::release(std::size_t bytes) {
  const std::uint64_t held = held_.fetch_sub(bytes, std::memory_order_relaxed);
  IDLRPC_ASSERT(held >= bytes);  // every release matches a charge
  if (total_) total_->fetch_sub(bytes, std::memory_order_relaxed);
  if (threshold_ == 0) return;
  const std::uint64_t before = released_.fetch_add(bytes, std::memory_order_acq_rel);
  // Only the release that crosses the threshold posts; the post returns
  // everything released by the time it runs.
  if (before < threshold_ && before + bytes >= threshold_) post_([this] { return_released(); });
}

void InputAccount::return_released() {
  const std::uint64_t bytes = released_.exchange(0, std::memory_order_acq_rel);
  if (bytes != 0) return_credit_(bytes);
}

}  // namespace idlrpc::detail
