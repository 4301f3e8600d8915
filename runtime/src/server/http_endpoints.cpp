#include "server/http_endpoints.hpp"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "health/health_state.hpp"
#include "idlrpc/metrics.hpp"

namespace idlrpc::detail {

namespace {

struct Answer {
  int code;
  std::string_view reason;
  std::string body;
  std::string_view content_type = "text/plain; charset=utf-8";
};

std::string render(const Answer& answer, bool with_body) {
  std::string out = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
      answer.code, answer.reason, answer.content_type, answer.body.size());
  if (with_body) out += answer.body;
  return out;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A query parameter's value, percent-decoded; none if absent or malformed.
std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != name) continue;
    std::string_view raw = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%') {
        if (i + 2 >= raw.size()) return std::nullopt;
        const int high = hex_digit(raw[i + 1]), low = hex_digit(raw[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        value += static_cast<char>(high * 16 + low);
        i += 2;
      } else {
        value += raw[i] == '+' ? ' ' : raw[i];
      }
    }
    return value;
  }
  return std::nullopt;
}

std::string_view status_name(ServingStatus status) {
  const auto name = health::v1::enum_name(status);
  return name.empty() ? "UNKNOWN" : name;
}

}  // namespace

HttpEndpoints::HttpEndpoints(std::shared_ptr<HealthState> health, std::shared_ptr<Metrics> metrics,
                             std::function<bool()> serving)
    : health_(std::move(health)), metrics_(std::move(metrics)), serving_(std::move(serving)) {}

HttpEndpoints::Sniff HttpEndpoints::sniff(std::string_view first_bytes) {
  // Every HTTP/1.1 method a client might send, so that a POST gets a 405
  // rather than a "frame header claims 1414745936 segments"; "PRI " starts
  // HTTP/2's preface (a gRPC client pointed at an idlrpc port).
  for (std::string_view method : {"GET ", "HEAD", "POST", "PUT ", "DELE", "PATC", "OPTI", "PRI "}) {
    const auto n = std::min(first_bytes.size(), method.size());
    if (first_bytes.substr(0, n) != method.substr(0, n)) continue;
    return n == method.size() ? Sniff::kHttp : Sniff::kMaybe;
  }
  return Sniff::kNotHttp;
}

std::size_t HttpEndpoints::head_length(std::string_view received) {
  const auto end = received.find("\r\n\r\n");
  return end == std::string_view::npos ? 0 : end + 4;
}

std::string HttpEndpoints::respond(std::string_view head, bool head_too_large) const {
  if (head_too_large) return render({431, "Request Header Fields Too Large", "request head too large\n"}, true);
  // Request line: METHOD SP target SP HTTP/1.x
  const auto line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const auto first_space = line.find(' ');
  const auto second_space = first_space == std::string_view::npos ? first_space : line.find(' ', first_space + 1);
  if (line == "PRI * HTTP/2.0") {
    return render({505, "HTTP Version Not Supported",
                   "this port speaks idlrpc (and HTTP/1.1 for /healthz, /readyz, /metrics), not HTTP/2: "
                   "a gRPC client cannot call it\n"},
                  true);
  }
  if (second_space == std::string_view::npos || !line.substr(second_space + 1).starts_with("HTTP/1.")) {
    return render({400, "Bad Request", "not an HTTP/1.x request line\n"}, true);
  }
  const std::string_view method = line.substr(0, first_space);
  const std::string_view target = line.substr(first_space + 1, second_space - first_space - 1);
  const bool with_body = method != "HEAD";
  if (method != "GET" && method != "HEAD") {
    return render({405, "Method Not Allowed", "only GET and HEAD\n"}, true);
  }
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const std::string_view query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);

  if (path == "/healthz") return render({200, "OK", "ok\n"}, with_body);  // alive: it answered
  if (path == "/readyz") {
    if (!health_) {
      return serving_() ? render({200, "OK", "SERVING\n"}, with_body)
                        : render({503, "Service Unavailable", "NOT_SERVING\n"}, with_body);
    }
    const std::string service = query_value(query, "service").value_or("");
    const auto status = health_->get(service);
    if (!status) return render({404, "Not Found", fmt::format("unknown service \"{}\"\n", service)}, with_body);
    const std::string body = fmt::format("{}\n", status_name(*status));
    return *status == ServingStatus::SERVING ? render({200, "OK", body}, with_body)
                                             : render({503, "Service Unavailable", body}, with_body);
  }
  if (path == "/metrics") {
    if (!metrics_) return render({404, "Not Found", "no metrics: set ServerOptions::metrics\n"}, with_body);
    return render({200, "OK", metrics_->prometheus_text(), "text/plain; version=0.0.4; charset=utf-8"}, with_body);
  }
  return render({404, "Not Found", "not found: try /healthz, /readyz or /metrics\n"}, with_body);
}

}  // namespace idlrpc::detail
