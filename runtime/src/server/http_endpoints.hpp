// The server's HTTP/1.1 answers: /healthz, /readyz, /metrics, for
// Kubernetes probes, load balancers' health checks and Prometheus, on the
// port that serves calls (ServerConnection tells an HTTP request from an
// idlrpc HELLO by its first bytes) or on addresses of their own
// (ServerOptions::http). docs/operations.md.
//
// Only what a probe or a scraper sends is understood: one GET or HEAD
// request, its head at most kMaxRequestBytes, answered with
// "Connection: close". Anything else gets 400, 404, 405 or 431.
//
// Thread-safe: respond() only reads the health statuses and metrics, which
// are thread-safe themselves.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace idlrpc {
class Metrics;
}

namespace idlrpc::detail {

class HealthState;

class HttpEndpoints {
 public:
  static constexpr std::size_t kMaxRequestBytes = 8 * 1024;

  /// `health` and `metrics` may be null (not enabled). `serving` says
  /// whether the server still takes calls: /readyz without health.
  HttpEndpoints(std::shared_ptr<HealthState> health, std::shared_ptr<Metrics> metrics,
                std::function<bool()> serving);

  /// Whether these bytes, the first a client sent, start an HTTP request
  /// (as opposed to an idlrpc frame, whose first four bytes are a small
  /// little-endian segment count). `kMaybe`: too few bytes to tell.
  enum class Sniff { kHttp, kNotHttp, kMaybe };
  static Sniff sniff(std::string_view first_bytes);

  /// Where a request's head ends (after its blank line), or 0 if `received`
  /// does not hold all of it yet.
  static std::size_t head_length(std::string_view received);

  /// The whole response to a request head (request line and headers) or,
  /// with `head_too_large`, to a head that passed kMaxRequestBytes.
  std::string respond(std::string_view head, bool head_too_large = false) const;

 private:
  std::shared_ptr<HealthState> health_;
  std::shared_ptr<Metrics> metrics_;
  std::function<bool()> serving_;
};

}  // namespace idlrpc::detail
