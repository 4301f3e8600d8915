// The buffers of one write system call: the frames a flush takes, as few
// and as large buffers as possible.
//
// A frame comes as a framing header and its segments (out_frame.hpp), often
// 8 and 80 bytes for a small message. Asio's sendmsg takes at most 64
// buffers a call, so 1,000 small frames handed over as they are would take
// 32 system calls. WriteBatch copies pieces below kCopyBelowBytes into one
// contiguous block (a few dozen bytes each: cheaper than a system call's
// share) and references larger pieces (a large message's segments, a
// 1 MiB `bytes` value) where they are, so the kernel copies those once.
//
// Threads: the connection's I/O thread only, like the write path it serves.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/system/error_code.hpp>

namespace idlrpc::detail {

class OutFrame;

class WriteBatch {
 public:
  /// Pieces smaller than this are copied. 64 pieces of this size make one
  /// whole batch of the connection's (256 KiB), so referenced pieces alone
  /// never need more than a few system calls.
  static constexpr std::size_t kCopyBelowBytes = 4 * 1024;

  /// Adds a sealed frame's header and segments, in order.
  void add(const OutFrame& frame);
  std::size_t piece_count() const noexcept { return pieces_.size(); }
  /// The frames' bytes exactly as added, one buffer per piece.
  const std::vector<boost::asio::const_buffer>& pieces() const noexcept { return pieces_; }
  /// All the bytes, appended to `out` in one piece (TLS seals them into
  /// records itself, which copies them anyway).
  void copy_all(std::string& out) const;
  /// The same bytes in as few buffers as the copying allows; valid until
  /// clear(). Call once, after the last add().
  const std::vector<boost::asio::const_buffer>& gather();
  /// After gather(): drops the first `bytes` of the gathered buffers (what
  /// a write system call took), so the list gather() returned holds what
  /// is left to write.
  void consume(std::size_t bytes);
  /// Empties the batch, keeping its memory for the next one.
  void clear() noexcept;
  /// Between bursts (the connection has nothing queued), after clear():
  /// gives back what it keeps beyond kKeptBytes. A batch copies at most the connection's
  /// batch size (256 KiB) plus one frame; an idle connection holds at
  /// most kKeptBytes of it (docs/robustness.md).
  void trim() noexcept;

  static constexpr std::size_t kKeptBytes = 16 * 1024;
  /// The memory the batch holds: its copy buffer and its two buffer lists
  /// (each at most kKeptBytes after trim()).
  std::size_t retained_bytes() const noexcept {
    return copied_.capacity() + (pieces_.capacity() + buffers_.capacity()) * sizeof(boost::asio::const_buffer);
  }

 private:
  std::vector<boost::asio::const_buffer> pieces_;
  std::vector<boost::asio::const_buffer> buffers_;
  std::vector<unsigned char> copied_;
};

/// An Asio completion condition for async_write: the whole rest in each
/// write system call. (Asio's transfer_all offers 64 KiB a call, so a
/// 1 MiB frame took 17 calls and 17 turns of the I/O loop.)
struct TransferRemaining {
  std::size_t operator()(const boost::system::error_code& error, std::size_t) const noexcept {
    return error ? 0 : std::numeric_limits<std::size_t>::max();
  }
};

}  // namespace idlrpc::detail
