// bench/compare's report (bench/table/compare_table.hpp): the median and
// range arithmetic, the pairing of ratios by round, and the Markdown it
// prints, pinned on small synthetic JSON lines.
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "compare_table.hpp"

namespace {

using idlrpc_bench::markdown_report;
using idlrpc_bench::spread;
using idlrpc_bench::TableError;

std::string report(const std::string& lines) {
  std::istringstream in(lines);
  return markdown_report(in);
}

TEST(BenchTableSpread, OddCountTakesTheMiddleValue) {
  const auto s = spread({3, 1, 2});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->median, 2);
  EXPECT_EQ(s->min, 1);
  EXPECT_EQ(s->max, 3);
  EXPECT_EQ(s->count, 3u);
}

TEST(BenchTableSpread, EvenCountAveragesTheTwoMiddleValues) {
  const auto s = spread({4, 1, 3, 2});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->median, 2.5);
  EXPECT_EQ(s->min, 1);
  EXPECT_EQ(s->max, 4);
  EXPECT_EQ(s->count, 4u);
}

TEST(BenchTableSpread, OneValueAndNone) {
  const auto one = spread({7});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->median, 7);
  EXPECT_EQ(one->min, 7);
  EXPECT_EQ(one->max, 7);
  EXPECT_FALSE(spread({}));
}

TEST(BenchTableFormat, ValuesAndRanges) {
  EXPECT_EQ(idlrpc_bench::format_spread({45, 40, 48, 3}), "45 (40–48)");
  EXPECT_EQ(idlrpc_bench::format_spread({41.25, 40.5, 48.75, 2}), "41.2 (40.5–48.8)");
  EXPECT_EQ(idlrpc_bench::format_spread({21000.4, 20000, 25000, 3}), "21000 (20000–25000)");
  EXPECT_EQ(idlrpc_bench::format_spread({12.5, 12.5, 12.5, 1}), "12.5");
  // One precision for the three numbers.
  EXPECT_EQ(idlrpc_bench::format_spread({42.6, 41, 44.3, 2}), "42.6 (41.0–44.3)");
  EXPECT_EQ(idlrpc_bench::format_spread({900.4, 850, 1200.25, 3}), "900 (850–1200)");
  EXPECT_EQ(idlrpc_bench::format_ratio_spread({0.5, 0.4, 0.6, 3}), "0.50× (0.40–0.60)");
  EXPECT_EQ(idlrpc_bench::format_ratio_spread({2.25, 2.25, 2.25, 1}), "2.25×");
}

// Three rounds (odd); capnp-rpc failed in round 2, so its figures and its
// ratios come from two rounds (even). Lines arrive in run order, not
// table order.
TEST(BenchTableReport, ThreeRoundsWithAMissingRun) {
  const std::string lines = R"(
{"meta":"run","date":"2026-11-29 18:00 UTC","commit":"abc1234-dirty","cores":2,"kernel":"6.1.0","rounds":3,"loadavg":"0.50 0.40 0.30"}
{"round":1,"system":"idlrpc","scenario":"unary_latency","server_style":"coroutine","p50_us":40,"calls_per_s":21000}
{"round":1,"system":"grpc","scenario":"unary_latency","p50_us":100,"calls_per_s":9000}
{"round":1,"system":"capnp-rpc","scenario":"unary_latency","p50_us":200,"calls_per_s":5000}
{"round":1,"system":"raw-tcp","scenario":"unary_latency","p50_us":20}
{"meta":"round","round":1,"loadavg_before":"0.50 0.40 0.30","loadavg_after":"1.50 0.60 0.35","failed":[]}
{"round":2,"system":"idlrpc","scenario":"unary_latency","server_style":"coroutine","p50_us":48,"calls_per_s":20000}
{"round":2,"system":"grpc","scenario":"unary_latency","p50_us":80,"calls_per_s":12000}
{"round":2,"system":"raw-tcp","scenario":"unary_latency","p50_us":24}
{"meta":"round","round":2,"loadavg_before":"1.50 0.60 0.35","loadavg_after":"1.80 0.70 0.40","failed":["capnp"]}
{"round":3,"system":"raw-tcp","scenario":"unary_latency","p50_us":30}
{"round":3,"system":"capnp-rpc","scenario":"unary_latency","p50_us":150,"calls_per_s":6000}
{"round":3,"system":"grpc","scenario":"unary_latency","p50_us":90,"calls_per_s":10000}
{"round":3,"system":"idlrpc","scenario":"unary_latency","server_style":"coroutine","p50_us":45,"calls_per_s":25000}
{"meta":"round","round":3,"loadavg_before":"1.80 0.70 0.40","loadavg_after":"1.90 0.80 0.45","failed":[]}
)";
  // p50 ratios to gRPC by round: 0.4, 0.6, 0.5; to capnp: 0.2, -, 0.3; to
  // raw TCP: 2.0, 2.0, 1.5. calls/s to gRPC: 21000/9000, 20000/12000,
  // 25000/10000 = 2.33, 1.67, 2.5; to capnp: 4.2, -, 4.1667.
  const std::string expected = R"(Measured 2026-11-29 18:00 UTC on 2 cores, Linux 6.1.0, commit abc1234-dirty. Load average (1, 5, 15 min) at the start: 0.50 0.40 0.30.

3 rounds; in each, every system ran once, one after the other. Figures: median (min–max) over the rounds. Ratios: taken per round from that round's runs, then median (min–max).

| round | load average before | load average after | failed |
|---:|---|---|---|
| 1 | 0.50 0.40 0.30 | 1.50 0.60 0.35 |  |
| 2 | 1.50 0.60 0.35 | 1.80 0.70 0.40 | capnp |
| 3 | 1.80 0.70 0.40 | 1.90 0.80 0.45 |  |

### Targets (issues 16 and 12)

Median of the per-round ratios (min–max); met or not judged on the median.

| target | idlrpc (coroutine) |
|---|---|
| blocking unary_throughput ≥ 2× gRPC | — |
| blocking unary_throughput ≥ 0.7× the coroutine style | — |
| coroutine unary_throughput ≥ 4× gRPC | not measured |
| stream_large MiB/s ≥ 1.2× Cap'n Proto RPC | not measured |
| upload_small msgs/s ≥ 6× gRPC | not measured |
| stream_small msgs/s ≥ 6× gRPC | not measured |
| unary_latency p50 ≤ 1.15× raw TCP | 2.00× (1.50–2.00) **not met** |
| chat_pingpong p50 ≤ 1.15× raw TCP's unary round trip | not measured |

### unary_latency

| system | p50_us | calls_per_s | rounds |
|---|---:|---:|---:|
| idlrpc (coroutine) | 45 (40–48) | 21000 (20000–25000) | 3 |
| grpc | 90 (80–100) | 10000 (9000–12000) | 3 |
| capnp-rpc | 175 (150–200) | 5500 (5000–6000) | 2 of 3 |
| raw-tcp | 24 (20–30) |  | 3 |
| idlrpc (coroutine) ÷ grpc | 0.50× (0.40–0.60) | 2.33× (1.67–2.50) | 3 |
| idlrpc (coroutine) ÷ capnp-rpc | 0.25× (0.20–0.30) | 4.18× (4.17–4.20) | 2 of 3 |
| idlrpc (coroutine) ÷ raw-tcp | 2.00× (1.50–2.00) |  | 3 |

)";
  EXPECT_EQ(report(lines), expected);
}

// Two rounds (even), no meta lines (e.g. two bench/run outputs tagged by
// hand): no header, medians are the mean of the two runs.
TEST(BenchTableReport, TwoRoundsWithoutMetaLines) {
  const std::string lines = R"({"round":1,"system":"idlrpc","scenario":"unary_throughput","server_style":"sync","calls_per_s":100000,"p50_us":1.2}
{"round":1,"system":"grpc","scenario":"unary_throughput","calls_per_s":40000,"p50_us":3.0}
{"round":2,"system":"idlrpc","scenario":"unary_throughput","server_style":"sync","calls_per_s":120000,"p50_us":1.6}
{"round":2,"system":"grpc","scenario":"unary_throughput","calls_per_s":60000,"p50_us":4.0}
)";
  const std::string expected = R"(### Targets (issues 16 and 12)

Median of the per-round ratios (min–max); met or not judged on the median.

| target | idlrpc (sync) |
|---|---|
| blocking unary_throughput ≥ 2× gRPC | 2.25× (2.00–2.50) met |
| blocking unary_throughput ≥ 0.7× the coroutine style | not measured |
| coroutine unary_throughput ≥ 4× gRPC | — |
| stream_large MiB/s ≥ 1.2× Cap'n Proto RPC | not measured |
| upload_small msgs/s ≥ 6× gRPC | not measured |
| stream_small msgs/s ≥ 6× gRPC | not measured |
| unary_latency p50 ≤ 1.15× raw TCP | not measured |
| chat_pingpong p50 ≤ 1.15× raw TCP's unary round trip | not measured |

### unary_throughput

| system | calls_per_s | p50_us | rounds |
|---|---:|---:|---:|
| idlrpc (sync) | 110000 (100000–120000) | 1.4 (1.2–1.6) | 2 |
| grpc | 50000 (40000–60000) | 3.5 (3.0–4.0) | 2 |
| idlrpc (sync) ÷ grpc | 2.25× (2.00–2.50) | 0.40× (0.40–0.40) | 2 |

)";
  EXPECT_EQ(report(lines), expected);
}

// Lines without "round" (one bench/run or peer run.sh, or a file from
// before rounds existed) are one round: plain values, no ranges.
TEST(BenchTableReport, LinesWithoutRoundAreOneRound) {
  const std::string lines = R"({"system":"idlrpc","scenario":"stream_large","server_style":"sync","mib_per_s":1500.5}
{"system":"grpc","scenario":"stream_large","mib_per_s":1000}
{"system":"capnp-rpc","scenario":"stream_large","mib_per_s":1000}
)";
  const std::string out = report(lines);
  EXPECT_NE(out.find("| stream_large MiB/s ≥ 1.2× Cap'n Proto RPC | 1.50× met |"), std::string::npos) << out;
  EXPECT_NE(out.find("| idlrpc (sync) | 1500 | 1 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| idlrpc (sync) ÷ grpc | 1.50× | 1 |"), std::string::npos) << out;
}

// TLS runs (bench/compare --tls): idlrpc-tls against grpc-tls and against
// idlrpc's plaintext row of the same style, and the TLS targets judged.
TEST(BenchTableReport, TlsRowsAreComparedWithTlsPeersAndWithPlaintext) {
  const std::string lines = R"({"round":1,"system":"idlrpc","scenario":"unary_throughput","server_style":"sync","calls_per_s":100000}
{"round":1,"system":"grpc","scenario":"unary_throughput","calls_per_s":40000}
{"round":1,"system":"idlrpc-tls","scenario":"unary_throughput","server_style":"sync","calls_per_s":90000}
{"round":1,"system":"grpc-tls","scenario":"unary_throughput","calls_per_s":30000}
)";
  const std::string out = report(lines);
  EXPECT_NE(out.find("| TLS: unary_throughput ≥ 0.85× plaintext (TLS costs ≤ 15 %) | 0.90× met |"), std::string::npos)
      << out;
  EXPECT_NE(out.find("| TLS: unary_throughput ≥ 2× gRPC over TLS | 3.00× met |"), std::string::npos) << out;
  EXPECT_NE(out.find("| idlrpc (sync) ÷ grpc | 2.50× | 1 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| idlrpc-tls (sync) ÷ grpc-tls | 3.00× | 1 |"), std::string::npos) << out;
  EXPECT_NE(out.find("| idlrpc-tls (sync) ÷ idlrpc (sync) | 0.90× | 1 |"), std::string::npos) << out;
  EXPECT_EQ(out.find("idlrpc-tls (sync) ÷ grpc |"), std::string::npos) << out;  // never TLS against plaintext
  // The rows: plaintext first, then TLS.
  EXPECT_LT(out.find("| grpc | 40000"), out.find("| idlrpc-tls (sync) | 90000")) << out;
  // Without TLS rows, no TLS targets.
  EXPECT_EQ(report(R"({"system":"idlrpc","scenario":"unary_throughput","server_style":"sync","calls_per_s":1}
)").find("TLS:"),
            std::string::npos);
}

// Targets for one style show "—" in the other's column; the blocking
// style is judged against the coroutine style of the same round; chat has
// no raw-TCP run of its own and is judged against raw TCP's unary round trip.
TEST(BenchTableReport, TargetsOfOneStyleAgainstTheOtherStyleAndAcrossScenarios) {
  const std::string lines = R"({"round":1,"system":"idlrpc","scenario":"unary_throughput","server_style":"sync","calls_per_s":70000}
{"round":1,"system":"idlrpc","scenario":"unary_throughput","server_style":"coroutine","calls_per_s":100000}
{"round":1,"system":"grpc","scenario":"unary_throughput","calls_per_s":20000}
{"round":1,"system":"idlrpc","scenario":"chat_pingpong","server_style":"sync","p50_us":46}
{"round":1,"system":"idlrpc","scenario":"chat_pingpong","server_style":"coroutine","p50_us":60}
{"round":1,"system":"raw-tcp","scenario":"unary_latency","p50_us":40}
)";
  const std::string out = report(lines);
  EXPECT_NE(out.find("| target | idlrpc (sync) | idlrpc (coroutine) |"), std::string::npos) << out;
  EXPECT_NE(out.find("| blocking unary_throughput ≥ 2× gRPC | 3.50× met | — |"), std::string::npos) << out;
  EXPECT_NE(out.find("| blocking unary_throughput ≥ 0.7× the coroutine style | 0.70× met | — |"), std::string::npos)
      << out;
  EXPECT_NE(out.find("| coroutine unary_throughput ≥ 4× gRPC | — | 5.00× met |"), std::string::npos) << out;
  EXPECT_NE(out.find("| chat_pingpong p50 ≤ 1.15× raw TCP's unary round trip | 1.15× met | 1.50× **not met** |"),
            std::string::npos)
      << out;
}

TEST(BenchTableReport, RejectsBadLines) {
  EXPECT_THROW(report("not json\n"), TableError);
  EXPECT_THROW(report("[1,2]\n"), TableError);
  EXPECT_THROW(report(R"({"system":"grpc"})"), TableError);
  EXPECT_THROW(report(R"({"system":"grpc","scenario":"x","round":"one"})"), TableError);
  // The same system and scenario twice in one round.
  EXPECT_THROW(report(R"({"round":1,"system":"grpc","scenario":"x","a":1}
{"round":1,"system":"grpc","scenario":"x","a":2})"),
               TableError);
  EXPECT_NO_THROW(report(R"({"round":1,"system":"grpc","scenario":"x","a":1}
{"round":2,"system":"grpc","scenario":"x","a":2})"));
}

}  // namespace
