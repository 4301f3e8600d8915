// W3C Trace Context: traceparent parsed and written as the specification
// says, carried from a server call into the calls its handler makes
// (CallOptions::from), and Tracing's spans linked parent to child across a
// two-hop chain (client -> A -> B).
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <idlrpc/server_context.hpp>
#include <idlrpc/tracing.hpp>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

TEST(TraceContextTest, ParsesAndWritesTraceparent) {
  const std::string header = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  auto parsed = TraceContext::parse(header);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parsed->span_id, "00f067aa0ba902b7");
  EXPECT_TRUE(parsed->sampled);
  EXPECT_EQ(parsed->traceparent(), header);
  EXPECT_FALSE(TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
  // A later version may add fields; version 00 may not.
  EXPECT_TRUE(TraceContext::parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  EXPECT_FALSE(TraceContext::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
  for (const char* bad : {
           "",
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // uppercase
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero span id
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0",   // short
           "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // separator
       }) {
    EXPECT_FALSE(TraceContext::parse(bad)) << bad;
  }
  const auto fresh = TraceContext::random(true);
  EXPECT_TRUE(TraceContext::parse(fresh.traceparent())) << fresh.traceparent();
  EXPECT_NE(fresh.trace_id, TraceContext::random(true).trace_id);
}

/// Records the traceparent and tracestate each call arrives with.
class Witness final : public ServerInterceptor {
 public:
  Admission on_start(ServerContext& context) override {
    std::lock_guard lock(mutex_);
    seen_.push_back(std::string(context.client_metadata().get("traceparent").value_or("")) + " " +
                    std::string(context.client_metadata().get("tracestate").value_or("")));
    return {};
  }
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> seen_;
};

class Collector final : public SpanExporter {
 public:
  void on_end(const Span& span, const CallOutcome& outcome) override {
    std::lock_guard lock(mutex_);
    spans_.push_back(span);
    codes_.push_back(outcome.code);
  }
  std::vector<Span> spans() {
    std::lock_guard lock(mutex_);
    return spans_;
  }

 private:
  std::mutex mutex_;
  std::vector<Span> spans_;
  std::vector<StatusCode> codes_;
};

TEST(TracingTest, CallOptionsFromCarriesTheTraceToTheNextHop) {
  for (Style style : {Style::kBlocking, Style::kCoroutine}) {
    SCOPED_TRACE(to_string(style));
    auto witness = std::make_shared<Witness>();
    TestServer b(style, {.interceptors = {witness}});
    TestServer a(style);
    const std::string traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    a.client().Forward({.text = "hop", .forward_to = b.address()},
                       CallOptions{}.set_timeout(5s).add_metadata("traceparent", traceparent).add_metadata(
                           "tracestate", "vendor=x"));
    EXPECT_EQ(witness->seen(), std::vector<std::string>{traceparent + " vendor=x"});
  }
}

TEST(TracingTest, SpansOfATwoHopChainShareATraceAndLinkParentToChild) {
  auto collector = std::make_shared<Collector>();
  auto tracing = std::make_shared<Tracing>(collector);
  TestServer b(Style::kCoroutine, {.interceptors = {tracing->server_interceptor()}});
  TestServer a(Style::kBlocking, {.interceptors = {tracing->server_interceptor()}});
  Tester::Client client(a.channel({.interceptors = {tracing->client_interceptor()}}));
  client.Forward({.text = "hop", .forward_to = b.address()}, CallOptions{}.set_timeout(5s));
  ASSERT_TRUE(eventually([&] { return collector->spans().size() == 3; }));
  const auto spans = collector->spans();
  const Span* root = nullptr;
  const Span* at_a = nullptr;
  const Span* at_b = nullptr;
  for (const auto& span : spans) {
    if (span.kind == Span::Kind::kClient) root = &span;
    if (span.kind == Span::Kind::kServer && span.method == "/idlrpc.test.Tester/Forward") at_a = &span;
    if (span.kind == Span::Kind::kServer && span.method == "/idlrpc.test.Tester/Echo") at_b = &span;
  }
  ASSERT_TRUE(root && at_a && at_b);
  EXPECT_TRUE(root->parent_span_id.empty()) << "the client started the trace";
  EXPECT_TRUE(root->sampled);
  EXPECT_EQ(at_a->trace_id, root->trace_id);
  EXPECT_EQ(at_b->trace_id, root->trace_id);
  EXPECT_EQ(at_a->parent_span_id, root->span_id);
  EXPECT_EQ(at_b->parent_span_id, at_a->span_id) << "A's handler called B with CallOptions::from";
  EXPECT_NE(at_a->span_id, root->span_id);
  EXPECT_NE(at_b->span_id, at_a->span_id);
}

}  // namespace
}  // namespace idlrpc::test
