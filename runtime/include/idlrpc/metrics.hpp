// Call metrics (counts, durations, message sizes per method and status)
// in Prometheus's text format, served on a server's /metrics
// (docs/operations.md lists the names).
//
// Thread-safe: record from any number of calls at once; read at any time.
#pragma once

#include <memory>
#include <string>

namespace idlrpc {

class ServerInterceptor;
class ClientInterceptor;

namespace detail {
class MetricsRegistry;
}

/// One set of metrics, typically one per process:
///
///     auto metrics = std::make_shared<idlrpc::Metrics>();
///     idlrpc::Server server({.listen = {...}, .metrics = metrics});  // and /metrics
///     idlrpc::Channel channel("dns:///users:50051",
///                             {.interceptors = {metrics->client_interceptor()}});
///
/// What is recorded follows gRPC's OpenTelemetry instrumentation (gRFC
/// A66): calls started, call durations and the bytes sent and received per
/// call as histograms with A66's bucket boundaries, labelled with the
/// method and the status code (and, on the client, the channel's target).
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// Records a server's calls. ServerOptions::metrics installs it first in
  /// the chain, so its durations include the other interceptors.
  std::shared_ptr<ServerInterceptor> server_interceptor();
  /// Records a channel's calls (put it in ChannelOptions::interceptors).
  /// A call counts once, whatever its retries.
  std::shared_ptr<ClientInterceptor> client_interceptor();

  /// Everything recorded, in the Prometheus text exposition format 0.0.4.
  std::string prometheus_text() const;

 private:
  std::shared_ptr<detail::MetricsRegistry> registry_;
};

}  // namespace idlrpc
