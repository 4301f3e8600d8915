// The statuses behind Health (idlrpc/health.hpp), the Health service and
// /readyz, and who is watching them.
//
// Thread-safe: one mutex. Watchers' wake functions are called with it held,
// so they must only post (HealthService's post to the call's I/O thread).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "idlrpc/health.hpp"

namespace idlrpc::detail {

class HealthState {
 public:
  enum class Phase { kRunning, kShuttingDown };

  /// Ignored once shutting down: the statuses stay NOT_SERVING.
  void set(std::string_view service, ServingStatus status);
  /// At start(): SERVING for what the application did not set itself.
  void set_if_unset(std::string_view service, ServingStatus status);
  std::optional<ServingStatus> get(std::string_view service) const;
  /// Every status becomes NOT_SERVING for good; watchers are woken.
  void shut_down();
  Phase phase() const;

  /// A watcher: `wake` is called after every change until it is destroyed.
  class Subscription {
   public:
    Subscription(HealthState& state, std::function<void()> wake);
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

   private:
    HealthState& state_;
    std::uint64_t id_;
  };

 private:
  void wake_all();  // with mutex_ held

  mutable std::mutex mutex_;
  Phase phase_ = Phase::kRunning;
  std::map<std::string, ServingStatus, std::less<>> statuses_;
  std::map<std::uint64_t, std::function<void()>> watchers_;
  std::uint64_t next_watcher_ = 0;
};

}  // namespace idlrpc::detail
