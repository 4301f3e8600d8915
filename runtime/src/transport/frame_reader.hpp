// Splits the bytes read from a socket into frames, validating each frame's
// stream-framing header before any memory is committed to it.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <stdexcept>

#include <boost/asio/buffer.hpp>
#include <capnp/common.h>
#include <kj/array.h>
#include <kj/common.h>

namespace idlrpc::detail {

/// The peer broke the protocol; the connection must close. what() is the
/// reason, written for the log line.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class FrameReader {
 public:
  /// Most segments a frame may have; Cap'n Proto writers produce a handful.
  static constexpr std::size_t kMaxSegments = 512;

  explicit FrameReader(std::size_t max_frame_bytes);
  /// Frames from now on may be this large (the limit grows after HELLO).
  void set_max_frame_bytes(std::size_t bytes) noexcept { max_frame_bytes_ = bytes; }

  /// Free space to read into: at least enough for the frame in progress.
  boost::asio::mutable_buffer prepare();
  /// `bytes` were read into the space prepare() returned.
  void commit(std::size_t bytes) noexcept {
    end_ += bytes;
    // A read that filled the buffer: the peer sends faster than we read,
    // so read more at a time (an idle connection keeps a small buffer).
    if (end_ == capacity_ && target_bytes_ < kMaxTargetBytes) target_bytes_ *= 2;
  }

  /// The next complete frame, word-aligned, valid until the next prepare();
  /// nullopt when more bytes are needed. Throws ProtocolError on a framing
  /// header that claims too many segments or too many bytes.
  std::optional<kj::ArrayPtr<const capnp::word>> next();

  /// Hands over the buffer holding `frame`, the frame next() just returned,
  /// if that frame is large and alone in it (a large frame is read into a
  /// buffer of its own, sized to it); otherwise returns null and the caller
  /// copies what it keeps.
  kj::Array<capnp::word> release(kj::ArrayPtr<const capnp::word> frame);

  /// Bytes buffered that do not form a complete frame yet.
  std::size_t pending_bytes() const noexcept { return end_ - begin_; }

  /// Frames from this size on get a buffer of their own.
  static constexpr std::size_t kLargeFrameBytes = 64 * 1024;

 private:
  // The read buffer starts small and doubles up to kMaxTargetBytes while
  // reads fill it.
  static constexpr std::size_t kInitialBytes = 2 * 1024;
  static constexpr std::size_t kMaxTargetBytes = 32 * 1024;  // < kLargeFrameBytes
  // A read is offered at least this much room beyond a partial frame.
  static constexpr std::size_t kMinReadBytes = 1024;

  void reserve(std::size_t frame_bytes);

  std::size_t max_frame_bytes_;
  kj::Array<capnp::word> buffer_;          // capnp::word: frames must be 8-aligned
  std::size_t capacity_ = 0;               // bytes
  std::size_t begin_ = 0;                  // first unconsumed byte
  std::size_t end_ = 0;                    // one past the last byte read
  std::size_t needed_ = 0;                  // size of the incomplete frame at begin_, if known
  std::size_t target_bytes_ = kInitialBytes;  // how much to offer a read
};

}  // namespace idlrpc::detail
