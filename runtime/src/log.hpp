// The runtime's internal logging entry point (the public half is
// idlrpc/log.hpp: the replaceable sink).
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string_view>

#include <fmt/format.h>

#include "idlrpc/log.hpp"

namespace idlrpc::detail {

/// Sends one line to the current sink.
void log_line(LogLevel level, std::string_view line);

/// Lets at most `per_second` lines through each second, so a flood of bad
/// peers cannot flood the log. Thread-safe.
class LogRateLimit {
 public:
  explicit LogRateLimit(unsigned per_second) : per_second_(per_second) {}
  /// Whether this line may go; `dropped` is how many were held back since
  /// the last one that went (for the line to say so).
  bool admit(std::size_t& dropped);

 private:
  const unsigned per_second_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_{};
  unsigned in_window_ = 0;
  std::size_t dropped_ = 0;
};

template <class... Args>
void log(LogLevel level, fmt::format_string<Args...> format, Args&&... args) {
  log_line(level, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace idlrpc::detail
