// Captures the runtime's log lines while a test runs, so tests can pin
// what an operator would read.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <idlrpc/log.hpp>

namespace idlrpc::test {

/// Captures the runtime's log lines for the duration of a test.
class LogCapture {
 public:
  LogCapture() {
    previous_ = set_log_sink([this](LogLevel, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(line);
    });
  }
  ~LogCapture() { set_log_sink(previous_); }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    lines_.clear();
  }
  std::size_t count_containing(std::string_view text) {
    std::size_t n = 0;
    for (const auto& line : lines()) n += line.find(text) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  LogSink previous_;
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

}  // namespace idlrpc::test
