// The counters and histograms behind idlrpc::Metrics, and their Prometheus
// text.
//
// Thread-safe. Recording a call is lock-free once its method has been seen:
// the method's series are found under a shared lock and updated with
// relaxed atomics (a scrape may see a call's count before its sum; both
// are monotonic, which is all Prometheus needs).
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>

#include "idlrpc/status.hpp"

namespace idlrpc::detail {

/// Cumulative-on-read histogram: one counter per bucket, the sum, the count.
class Histogram {
 public:
  /// `bounds` are the buckets' upper bounds, ascending, in the unit of
  /// observe(); they must outlive the histogram.
  explicit Histogram(std::span<const double> bounds);
  void observe(double value);
  /// `name` without suffix; `labels` rendered ("a=\"b\",c=\"d\""), maybe empty.
  void write(std::string& out, std::string_view name, std::string_view labels) const;

 private:
  std::span<const double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1 (the last is +Inf)
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

class MetricsRegistry {
 public:
  enum class Side { kServer, kClient };

  struct CallSample {
    StatusCode code;
    std::chrono::nanoseconds duration;
    std::uint64_t bytes_sent;
    std::uint64_t bytes_received;
  };

  /// `target` is empty on the server side.
  void started(Side side, std::string_view method, std::string_view target);
  void ended(Side side, std::string_view method, std::string_view target, const CallSample& sample);

  std::string prometheus_text() const;

 private:
  static constexpr std::size_t kCodes = static_cast<std::size_t>(kLastStatusCode) + 1;

  // What one status of one method has recorded.
  struct Outcome {
    Outcome();
    Histogram duration;
    Histogram sent;
    Histogram received;
  };
  // One method (of one channel target, on the client side).
  struct Series {
    std::atomic<std::uint64_t> started{0};
    std::array<std::atomic<Outcome*>, kCodes> outcomes{};  // made on first use, owned by owned_
    std::array<std::unique_ptr<Outcome>, kCodes> owned;
  };
  using Key = std::pair<std::string, std::string>;  // method, target
  using KeyView = std::pair<std::string_view, std::string_view>;
  // Finds a Key by a KeyView without making strings.
  struct KeyLess {
    using is_transparent = void;
    static KeyView view(const Key& key) noexcept { return {key.first, key.second}; }
    static KeyView view(const KeyView& key) noexcept { return key; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return view(a) < view(b);
    }
  };

  Series& series(Side side, std::string_view method, std::string_view target);
  Outcome& outcome(Series& series, StatusCode code);

  mutable std::shared_mutex mutex_;
  // std::map: stable addresses, and the text comes out sorted.
  std::map<Key, std::unique_ptr<Series>, KeyLess> server_;
  std::map<Key, std::unique_ptr<Series>, KeyLess> client_;
};

}  // namespace idlrpc::detail
