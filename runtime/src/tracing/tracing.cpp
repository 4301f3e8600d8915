// TraceContext (traceparent parsing and ids) and Tracing's interceptors.
#include "idlrpc/tracing.hpp"

#include <fmt/format.h>

#include <mutex>
#include <random>
#include <unordered_map>

#include "idlrpc/server_context.hpp"
#include "log.hpp"

namespace idlrpc {

namespace {

bool is_lower_hex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

// Random lowercase hex digits, never all zero (an invalid id).
std::string random_hex(std::size_t digits) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  std::string out;
  do {
    out.clear();
    while (out.size() < digits) out += fmt::format("{:016x}", generator());
    out.resize(digits);
  } while (all_zero(out));
  return out;
}

}  // namespace

std::optional<TraceContext> TraceContext::parse(std::string_view traceparent) {
  // version "-" trace-id "-" parent-id "-" trace-flags: 2-32-16-2 hex digits.
  // A later version may append fields after another "-".
  if (traceparent.size() < 55 || traceparent[2] != '-' || traceparent[35] != '-' || traceparent[52] != '-') {
    return std::nullopt;
  }
  const std::string_view version = traceparent.substr(0, 2), trace_id = traceparent.substr(3, 32),
                         span_id = traceparent.substr(36, 16), flags = traceparent.substr(53, 2);
  if (!is_lower_hex(version) || version == "ff" || !is_lower_hex(trace_id) || !is_lower_hex(span_id) ||
      !is_lower_hex(flags) || all_zero(trace_id) || all_zero(span_id)) {
    return std::nullopt;
  }
  if (traceparent.size() > 55 && (version == "00" || traceparent[55] != '-')) return std::nullopt;
  const int flag_bits = std::stoi(std::string(flags), nullptr, 16);
  return TraceContext{std::string(trace_id), std::string(span_id), (flag_bits & 1) != 0};
}

std::string TraceContext::traceparent() const {
  return fmt::format("00-{}-{}-{}", trace_id, span_id, sampled ? "01" : "00");
}

TraceContext TraceContext::random(bool sampled) { return {random_hex(32), random_hex(16), sampled}; }

struct Tracing::Shared {
  std::shared_ptr<SpanExporter> exporter;
  bool sample_new_traces;
  // The spans started and not yet ended, by their call (interceptors keep
  // no state in the call itself).
  std::mutex mutex;
  std::unordered_map<const void*, Span> open;

  // The call's span: a child of the traceparent in `metadata` or a new
  // trace; `metadata`'s traceparent then names it.
  void start(const void* call, Span::Kind kind, std::string_view method, Metadata& metadata) {
    Span span;
    span.kind = kind;
    span.method = method;
    span.start = std::chrono::system_clock::now();
    const auto parent = TraceContext::parse(metadata.get("traceparent").value_or(""));
    const TraceContext mine = parent ? TraceContext{parent->trace_id, random_hex(16), parent->sampled}
                                     : TraceContext::random(sample_new_traces);
    span.trace_id = mine.trace_id;
    span.span_id = mine.span_id;
    span.sampled = mine.sampled;
    if (parent) {
      span.parent_span_id = parent->span_id;
      span.tracestate = std::string(metadata.get("tracestate").value_or(""));
    }
    metadata.set("traceparent", mine.traceparent());
    try {
      exporter->on_start(span);
    } catch (const std::exception& e) {
      detail::log(LogLevel::kWarning, "span exporter: on_start threw: {}", e.what());
    }
    std::lock_guard lock(mutex);
    open.insert_or_assign(call, std::move(span));
  }

  void end(const void* call, const CallOutcome& outcome) {
    Span span;
    {
      std::lock_guard lock(mutex);
      auto it = open.find(call);
      if (it == open.end()) return;
      span = std::move(it->second);
      open.erase(it);
    }
    try {
      exporter->on_end(span, outcome);
    } catch (const std::exception& e) {
      detail::log(LogLevel::kWarning, "span exporter: on_end threw: {}", e.what());
    }
  }
};

namespace {

class ServerTracing final : public ServerInterceptor {
 public:
  explicit ServerTracing(std::shared_ptr<Tracing::Shared> shared) : shared_(std::move(shared)) {}
  Admission on_start(ServerContext& context) override {
    shared_->start(&context, Span::Kind::kServer, context.method(), context.mutable_client_metadata());
    return {};
  }
  void on_end(const ServerContext& context, const CallOutcome& outcome) override { shared_->end(&context, outcome); }

 private:
  std::shared_ptr<Tracing::Shared> shared_;
};

class ClientTracing final : public ClientInterceptor {
 public:
  explicit ClientTracing(std::shared_ptr<Tracing::Shared> shared) : shared_(std::move(shared)) {}
  Admission on_start(ClientCallInfo& call) override {
    // A ClientCallInfo is made afresh for each hook; the call's metadata
    // it refers to is the call's own, the same object until the end.
    shared_->start(&call.metadata, Span::Kind::kClient, call.method.path, call.metadata);
    return {};
  }
  void on_end(const ClientCallInfo& call, const CallOutcome& outcome) override {
    shared_->end(&call.metadata, outcome);
  }

 private:
  std::shared_ptr<Tracing::Shared> shared_;
};

}  // namespace

Tracing::Tracing(std::shared_ptr<SpanExporter> exporter, bool sample_new_traces)
    : shared_(std::make_shared<Shared>()) {
  shared_->exporter = std::move(exporter);
  shared_->sample_new_traces = sample_new_traces;
}

Tracing::~Tracing() = default;

std::shared_ptr<ServerInterceptor> Tracing::server_interceptor() { return std::make_shared<ServerTracing>(shared_); }

std::shared_ptr<ClientInterceptor> Tracing::client_interceptor() { return std::make_shared<ClientTracing>(shared_); }

}  // namespace idlrpc
