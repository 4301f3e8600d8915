// Metrics: what the server and channel interceptors record for a known mix
// of calls, in the Prometheus text format (every line checked against the
// format's grammar).
#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <idlrpc/interceptor.hpp>
#include <idlrpc/metrics.hpp>

#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

/// The samples of a Prometheus text page: "name{labels}" -> value.
std::map<std::string, double> samples_of(const std::string& text) {
  // The exposition format 0.0.4: comments, or `name{label="value",...} number`.
  static const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})?) ([-+0-9.eE]+|\+Inf|NaN)$)");
  static const std::regex comment(R"(^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*$)");
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (std::regex_match(line, comment)) continue;
    EXPECT_TRUE(std::regex_match(line, match, sample)) << "not Prometheus text: " << line;
    if (!match.empty()) samples[match[1]] = std::stod(match[5]);
  }
  return samples;
}

TEST(MetricsTest, ServerAndClientCountEveryCallByMethodAndStatus) {
  auto metrics = std::make_shared<Metrics>();
  TestServer server(Style::kCoroutine, {.metrics = metrics});
  Tester::Client client(server.channel({.interceptors = {metrics->client_interceptor()}}));
  for (int i = 0; i < 5; ++i) client.Echo({.text = "hello", .response_bytes = 1000});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(code_of([&] { client.Echo({.text = "gone", .fail_code = 5}); }), StatusCode::NOT_FOUND);
  }
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(code_of([&] { client.Echo({.text = "slow", .delay_ms = 2000}, CallOptions{}.set_timeout(50ms)); }),
              StatusCode::DEADLINE_EXCEEDED);
  }
  const std::string method = "method=\"idlrpc.test.Tester/Echo\"";
  const std::string target = "target=\"" + server.address() + "\"";
  // The server records a call when it ends there, which for the deadline
  // calls may come just after the client gave up; and it ends them as
  // DEADLINE_EXCEEDED (its own timer) or CANCELLED (the client's cancel
  // arrived first): both clocks run out at the same moment.
  auto deadline_calls_on_server = [&] {
    auto samples = samples_of(metrics->prometheus_text());
    return samples["idlrpc_server_call_duration_seconds_count{" + method + ",status=\"DEADLINE_EXCEEDED\"}"] +
           samples["idlrpc_server_call_duration_seconds_count{" + method + ",status=\"CANCELLED\"}"];
  };
  ASSERT_TRUE(eventually([&] { return deadline_calls_on_server() == 2; })) << metrics->prometheus_text();
  const std::string text = metrics->prometheus_text();
  auto samples = samples_of(text);
  EXPECT_EQ(samples["idlrpc_server_call_started_total{" + method + "}"], 10) << text;
  EXPECT_EQ(samples["idlrpc_server_call_duration_seconds_count{" + method + ",status=\"OK\"}"], 5);
  EXPECT_EQ(samples["idlrpc_server_call_duration_seconds_count{" + method + ",status=\"NOT_FOUND\"}"], 3);
  EXPECT_EQ(samples["idlrpc_client_call_started_total{" + method + "," + target + "}"], 10);
  EXPECT_EQ(samples["idlrpc_client_call_duration_seconds_count{" + method + "," + target + ",status=\"OK\"}"], 5);
  EXPECT_EQ(samples["idlrpc_client_call_duration_seconds_count{" + method + "," + target + ",status=\"NOT_FOUND\"}"],
            3);
  EXPECT_EQ(
      samples["idlrpc_client_call_duration_seconds_count{" + method + "," + target + ",status=\"DEADLINE_EXCEEDED\"}"],
      2);
  // Histograms: cumulative buckets ending at +Inf = count; the deadline
  // calls took at least their 50 ms.
  EXPECT_EQ(samples["idlrpc_server_call_duration_seconds_bucket{" + method + ",status=\"OK\",le=\"+Inf\"}"], 5);
  EXPECT_EQ(samples["idlrpc_client_call_duration_seconds_bucket{" + method + "," + target +
                    ",status=\"DEADLINE_EXCEEDED\",le=\"0.04\"}"],
            0);
  EXPECT_GE(samples["idlrpc_client_call_duration_seconds_sum{" + method + "," + target +
                    ",status=\"DEADLINE_EXCEEDED\"}"],
            0.1);
  // Sizes: five responses of over 1000 bytes each were sent; none is 1 KiB or less.
  EXPECT_EQ(samples["idlrpc_server_call_sent_total_message_size_bytes_bucket{" + method + ",status=\"OK\",le=\"1024\"}"],
            0);
  EXPECT_EQ(samples["idlrpc_server_call_sent_total_message_size_bytes_bucket{" + method + ",status=\"OK\",le=\"2048\"}"],
            5);
  EXPECT_GE(samples["idlrpc_server_call_sent_total_message_size_bytes_sum{" + method + ",status=\"OK\"}"], 5000);
  EXPECT_GE(samples["idlrpc_client_call_rcvd_total_message_size_bytes_sum{" + method + "," + target + ",status=\"OK\"}"],
            5000);
}

TEST(MetricsTest, StreamsCountTheirMessagesBytes) {
  auto metrics = std::make_shared<Metrics>();
  TestServer server(Style::kBlocking, {.metrics = metrics});
  Tester::Client client = server.client();
  auto reader = client.Count({.text = "x", .response_bytes = 100, .delay_ms = 0, .count = 20});
  int n = 0;
  while (reader.read()) ++n;
  reader.finish();
  EXPECT_EQ(n, 20);
  const std::string method = "method=\"idlrpc.test.Tester/Count\"";
  ASSERT_TRUE(eventually([&] {
    return samples_of(metrics->prometheus_text())["idlrpc_server_call_duration_seconds_count{" + method +
                                                  ",status=\"OK\"}"] == 1;
  }));
  auto samples = samples_of(metrics->prometheus_text());
  EXPECT_GE(samples["idlrpc_server_call_sent_total_message_size_bytes_sum{" + method + ",status=\"OK\"}"], 2000);
}

TEST(MetricsTest, LabelValuesAreEscaped) {
  Metrics metrics;
  auto interceptor = metrics.client_interceptor();
  Metadata metadata;
  const std::string target = "we\"ird\\target\nname";
  const MethodInfo method{"/a.B/C", CallKind::kUnary};
  ClientCallInfo call{method, target, metadata, std::nullopt};
  interceptor->on_start(call);
  interceptor->on_end(call, CallOutcome{});
  const std::string text = metrics.prometheus_text();
  EXPECT_NE(text.find(R"(idlrpc_client_call_started_total{method="a.B/C",target="we\"ird\\target\nname"} 1)"),
            std::string::npos)
      << text;
  samples_of(text);  // every line still parses
}

}  // namespace
}  // namespace idlrpc::test
