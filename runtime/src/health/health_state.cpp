#include "health/health_state.hpp"

#include <utility>

namespace idlrpc::detail {

void HealthState::set(std::string_view service, ServingStatus status) {
  std::lock_guard lock(mutex_);
  if (phase_ == Phase::kShuttingDown) return;
  auto [it, added] = statuses_.try_emplace(std::string(service), status);
  if (!added) {
    if (it->second == status) return;
    it->second = status;
  }
  wake_all();
}

void HealthState::set_if_unset(std::string_view service, ServingStatus status) {
  std::lock_guard lock(mutex_);
  if (phase_ == Phase::kShuttingDown) return;
  if (statuses_.try_emplace(std::string(service), status).second) wake_all();
}

std::optional<ServingStatus> HealthState::get(std::string_view service) const {
  std::lock_guard lock(mutex_);
  if (auto it = statuses_.find(service); it != statuses_.end()) return it->second;
  return std::nullopt;
}

void HealthState::shut_down() {
  std::lock_guard lock(mutex_);
  if (phase_ == Phase::kShuttingDown) return;
  phase_ = Phase::kShuttingDown;
  for (auto& [service, status] : statuses_) status = ServingStatus::NOT_SERVING;
  wake_all();
}

HealthState::Phase HealthState::phase() const {
  std::lock_guard lock(mutex_);
  return phase_;
}

void HealthState::wake_all() {
  for (auto& [id, wake] : watchers_) wake();
}

HealthState::Subscription::Subscription(HealthState& state, std::function<void()> wake) : state_(state) {
  std::lock_guard lock(state_.mutex_);
  id_ = state_.next_watcher_++;
  state_.watchers_.emplace(id_, std::move(wake));
}

HealthState::Subscription::~Subscription() {
  std::lock_guard lock(state_.mutex_);
  state_.watchers_.erase(id_);
}

}  // namespace idlrpc::detail

namespace idlrpc {

void Health::set_status(std::string_view service, ServingStatus status) { state_->set(service, status); }

std::optional<ServingStatus> Health::status(std::string_view service) const { return state_->get(service); }

}  // namespace idlrpc
