// A structured access log: one entry per call a server handled (method,
// peer, principal, status, duration, message counts and bytes), off unless
// its interceptor is installed (docs/operations.md, "Access log").
//
// The sink runs on the thread that ended the call (an I/O thread or a
// handler's): it should hand the line to something that writes it, not
// block. Thread-safe as far as the sink is.
#pragma once

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "idlrpc/detail/chrono.hpp"
#include "idlrpc/interceptor.hpp"

namespace idlrpc {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  ///< when the call ended
  std::string_view method;                     ///< "/package.Service/Method"
  std::string_view peer;                       ///< "127.0.0.1:40312", "unix:/path"
  std::string_view principal;                  ///< ServerContext::principal(), often empty
  StatusCode code = StatusCode::OK;
  std::string_view message;                    ///< the status message
  Clock::duration duration{};
  MessageCounts messages;
};

/// The entry as one line of JSON (no newline), e.g.
/// {"time":"2026-11-30T04:00:00.123Z","method":"/teams.Teams/GetTeam",
///  "peer":"127.0.0.1:40312","status":"OK","duration_ms":0.412,...}
std::string to_json(const AccessLogEntry& entry);

/// The access-log interceptor: put it in ServerOptions::interceptors.
std::shared_ptr<ServerInterceptor> access_log(std::function<void(const AccessLogEntry&)> sink);
/// The same, writing to_json lines to `file` (say, stdout or stderr), one
/// write per line so that lines of concurrent calls never interleave.
std::shared_ptr<ServerInterceptor> access_log(std::FILE* file);

}  // namespace idlrpc
