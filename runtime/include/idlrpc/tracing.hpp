// W3C Trace Context (the traceparent and tracestate metadata) and a hook
// that sees every call as a span, for an application to export to
// OpenTelemetry, Jaeger or a log (docs/operations.md, "Tracing").
//
// Propagation needs nothing installed: CallOptions::from(context) carries
// the server call's traceparent and tracestate into the calls its handler
// makes, as it carries the deadline. Tracing's interceptors add spans: each
// call gets a span id of its own, which becomes the parent of the next hop.
//
// Thread-safe: the interceptors may run for any number of calls at once;
// an exporter's methods are called from the calls' threads.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/interceptor.hpp"

namespace idlrpc {

/// A traceparent header's fields (version 00).
struct TraceContext {
  std::string trace_id{};  ///< 32 lowercase hex digits, not all zero
  std::string span_id{};   ///< 16 lowercase hex digits, not all zero: the sender's span
  bool sampled = false;  ///< the sampled flag (bit 0 of trace-flags)

  /// None if `traceparent` is not a valid W3C traceparent. Versions above
  /// 00 are read as 00, as the specification asks.
  static std::optional<TraceContext> parse(std::string_view traceparent);
  /// "00-<trace_id>-<span_id>-<flags>".
  std::string traceparent() const;
  /// A new trace: random ids.
  static TraceContext random(bool sampled);
};

/// One call on one side, as a tracing backend wants it.
struct Span {
  enum class Kind { kServer, kClient };
  Kind kind = Kind::kServer;
  std::string method{};          ///< "/package.Service/Method"
  std::string trace_id{};
  std::string span_id{};
  std::string parent_span_id{};  ///< empty for a trace's first span
  bool sampled = false;
  std::string tracestate{};      ///< as received or propagated, unchanged
  std::chrono::system_clock::time_point start{};  ///< wall time, as trace backends want it
};

/// Receives the spans (export them, log them). Exceptions are logged.
class SpanExporter {
 public:
  virtual ~SpanExporter() = default;
  virtual void on_start(const Span& span) { (void)span; }
  virtual void on_end(const Span& span, const CallOutcome& outcome) = 0;
};

/// Makes a span of every call its interceptors see:
///
///     auto tracing = std::make_shared<idlrpc::Tracing>(exporter);
///     ServerOptions{.interceptors = {tracing->server_interceptor()}}
///     ChannelOptions{.interceptors = {tracing->client_interceptor()}}
///
/// A server span continues the caller's trace (its traceparent) or starts
/// one; a client span continues the trace of the server call it was made
/// from (CallOptions::from) or starts one. Either way the call's outgoing
/// traceparent names the new span, so the next hop's span is its child.
class Tracing {
 public:
  explicit Tracing(std::shared_ptr<SpanExporter> exporter, bool sample_new_traces = true);
  ~Tracing();
  std::shared_ptr<ServerInterceptor> server_interceptor();
  std::shared_ptr<ClientInterceptor> client_interceptor();

  // For the interceptors.
  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace idlrpc
