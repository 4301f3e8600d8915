// What received messages a connection holds, and so what it owes the peer
// as connection-level credit (docs/protocol.md section 7).
//
// Every MESSAGE frame is charged when it arrives and released when its
// bytes are gone: when the InMessage that keeps it is destroyed (streams),
// when the unary call that decoded it ends, or at once when nothing keeps
// it. Tying the release to the memory itself, not to a read, makes "held
// input" mean exactly what it costs, whichever thread drops a message.
//
// Released bytes go back to the peer in WINDOW_UPDATEs on stream 0, half a
// window at a time. A release on another thread (a blocking reader drops a
// message) posts to the connection's I/O thread only when it crosses that
// threshold, so the hot path is two atomic additions.
//
// The same charges feed an optional server-wide total (ServerOptions::
// max_buffered_input_bytes), which the server reads before it admits a call.
//
// Threading: charge() on the connection's I/O thread; release() and the
// InputCharge destructor on any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace idlrpc::detail {

/// Input held by every connection of one server, together.
using InputTotal = std::atomic<std::uint64_t>;

class InputAccount {
 public:
  /// `return_credit(bytes)` runs on the I/O thread (the caller's post) to
  /// send WINDOW_UPDATE; `post` runs a function there. `total` may be null.
  InputAccount(std::uint32_t window_bytes, std::shared_ptr<InputTotal> total,
               std::function<void(std::function<void()>)> post,
               std::function<void(std::uint64_t)> return_credit);

  void charge(std::size_t bytes) noexcept;
  void release(std::size_t bytes);

  /// Bytes charged and not released.
  std::uint64_t held() const noexcept { return held_.load(std::memory_order_relaxed); }

  /// I/O thread: hands every released byte not yet returned to
  /// return_credit (also used when the connection wants it flushed now).
  void return_released();

 private:
  const std::uint64_t threshold_;
  std::shared_ptr<InputTotal> total_;
  std::function<void(std::function<void()>)> post_;
  std::function<void(std::uint64_t)> return_credit_;
  std::atomic<std::uint64_t> held_{0};
  std::atomic<std::uint64_t> released_{0};  // not yet returned to the peer
};

/// A charge that releases itself: moved along with the bytes it stands for.
class InputCharge {
 public:
  InputCharge() = default;
  InputCharge(std::shared_ptr<InputAccount> account, std::size_t bytes) noexcept
      : account_(std::move(account)), bytes_(bytes) {}
  InputCharge(InputCharge&& other) noexcept
      : account_(std::move(other.account_)), bytes_(std::exchange(other.bytes_, 0)) {}
  InputCharge& operator=(InputCharge&& other) noexcept {
    if (this != &other) {
      reset();
      account_ = std::move(other.account_);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ~InputCharge() { reset(); }

  std::size_t bytes() const noexcept { return bytes_; }
  void reset() {
    if (account_ && bytes_ != 0) account_->release(bytes_);
    account_.reset();
    bytes_ = 0;
  }

 private:
  std::shared_ptr<InputAccount> account_;
  std::size_t bytes_ = 0;
};

}  // namespace idlrpc::detail
