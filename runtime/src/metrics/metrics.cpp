// idlrpc::Metrics: the interceptors that feed a MetricsRegistry.
#include "idlrpc/metrics.hpp"

#include "idlrpc/interceptor.hpp"
#include "idlrpc/server_context.hpp"
#include "metrics/metrics_registry.hpp"

namespace idlrpc {

namespace {

using detail::MetricsRegistry;

MetricsRegistry::CallSample sample_of(const CallOutcome& outcome) {
  return {outcome.code, std::chrono::duration_cast<std::chrono::nanoseconds>(outcome.duration),
          outcome.messages.bytes_sent, outcome.messages.bytes_received};
}

class ServerMetricsInterceptor final : public ServerInterceptor {
 public:
  explicit ServerMetricsInterceptor(std::shared_ptr<MetricsRegistry> registry) : registry_(std::move(registry)) {}
  Admission on_start(ServerContext& context) override {
    registry_->started(MetricsRegistry::Side::kServer, context.method(), {});
    return {};
  }
  void on_end(const ServerContext& context, const CallOutcome& outcome) override {
    registry_->ended(MetricsRegistry::Side::kServer, context.method(), {}, sample_of(outcome));
  }

 private:
  std::shared_ptr<MetricsRegistry> registry_;
};

class ClientMetricsInterceptor final : public ClientInterceptor {
 public:
  explicit ClientMetricsInterceptor(std::shared_ptr<MetricsRegistry> registry) : registry_(std::move(registry)) {}
  Admission on_start(ClientCallInfo& call) override {
    registry_->started(MetricsRegistry::Side::kClient, call.method.path, call.target);
    return {};
  }
  void on_end(const ClientCallInfo& call, const CallOutcome& outcome) override {
    registry_->ended(MetricsRegistry::Side::kClient, call.method.path, call.target, sample_of(outcome));
  }

 private:
  std::shared_ptr<MetricsRegistry> registry_;
};

}  // namespace

Metrics::Metrics() : registry_(std::make_shared<MetricsRegistry>()) {}
Metrics::~Metrics() = default;

std::shared_ptr<ServerInterceptor> Metrics::server_interceptor() {
  return std::make_shared<ServerMetricsInterceptor>(registry_);
}

std::shared_ptr<ClientInterceptor> Metrics::client_interceptor() {
  return std::make_shared<ClientMetricsInterceptor>(registry_);
}

std::string Metrics::prometheus_text() const { return registry_->prometheus_text(); }

}  // namespace idlrpc
