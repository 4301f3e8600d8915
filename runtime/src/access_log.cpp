#include "idlrpc/access_log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "idlrpc/server_context.hpp"
#include "log.hpp"

namespace idlrpc {

namespace {

// A JSON string: quotes, backslashes and control characters escaped; bytes
// that are not ASCII pass as they are (method names and peers are ASCII;
// a status message is the application's text).
void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

class AccessLog final : public ServerInterceptor {
 public:
  explicit AccessLog(std::function<void(const AccessLogEntry&)> sink) : sink_(std::move(sink)) {}
  void on_end(const ServerContext& context, const CallOutcome& outcome) override {
    sink_(AccessLogEntry{std::chrono::system_clock::now(), context.method(), context.peer(), context.principal(),
                         outcome.code, outcome.message, outcome.duration, outcome.messages});
  }

 private:
  std::function<void(const AccessLogEntry&)> sink_;
};

}  // namespace

std::string to_json(const AccessLogEntry& entry) {
  std::string out = "{\"time\":";
  const auto millis = std::chrono::time_point_cast<std::chrono::milliseconds>(entry.time);
  append_json_string(out, fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(millis)),
                                      millis.time_since_epoch().count() % 1000));
  out += ",\"method\":";
  append_json_string(out, entry.method);
  out += ",\"peer\":";
  append_json_string(out, entry.peer);
  if (!entry.principal.empty()) {
    out += ",\"principal\":";
    append_json_string(out, entry.principal);
  }
  out += ",\"status\":";
  append_json_string(out, to_string(entry.code));
  if (!entry.message.empty()) {
    out += ",\"message\":";
    append_json_string(out, entry.message);
  }
  fmt::format_to(std::back_inserter(out),
                 ",\"duration_ms\":{:.3f},\"messages_received\":{},\"bytes_received\":{},\"messages_sent\":{},"
                 "\"bytes_sent\":{}}}",
                 std::chrono::duration<double, std::milli>(entry.duration).count(), entry.messages.received,
                 entry.messages.bytes_received, entry.messages.sent, entry.messages.bytes_sent);
  return out;
}

std::shared_ptr<ServerInterceptor> access_log(std::function<void(const AccessLogEntry&)> sink) {
  return std::make_shared<AccessLog>(std::move(sink));
}

std::shared_ptr<ServerInterceptor> access_log(std::FILE* file) {
  return access_log([file](const AccessLogEntry& entry) {
    std::string line = to_json(entry);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), file);  // one write: lines never interleave
    std::fflush(file);
  });
}

}  // namespace idlrpc
