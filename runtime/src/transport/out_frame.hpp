// One outgoing frame: a Cap'n Proto message of root type Frame plus its
// stream-framing header, written to the socket with gather I/O straight
// from the message's segments (among them the large `bytes` values kept in
// external_blobs_, which are never copied into the message).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <capnp/message.h>

#include "idlrpc/detail/out_frame.hpp"
#include "idlrpc/wire/external_blobs.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

class OutFrame {
 public:
  OutFrame();
  OutFrame(const OutFrame&) = delete;
  OutFrame& operator=(const OutFrame&) = delete;

  protocol::Frame::Builder frame() { return root_; }
  /// Large `bytes` values the message references as segments of their own.
  wire::detail::ExternalBlobs& external_blobs() noexcept { return external_blobs_; }

  /// Computes the framing header once the message is complete; returns the
  /// frame's size in bytes (header + segments), which is what flow control
  /// and size limits count.
  std::size_t seal();
  std::size_t size_bytes() const noexcept { return size_bytes_; }

  /// Appends the sealed frame's buffers (header, then each segment).
  void append_buffers(std::vector<boost::asio::const_buffer>& out) const;

 private:
  // Referenced by builder_'s segments, so it must outlive builder_: it is
  // declared first and so destroyed last.
  wire::detail::ExternalBlobs external_blobs_;
  // Small frames (headers, trailers, small messages) fit here and cost no
  // allocation beyond the OutFrame itself. Must precede builder_.
  static constexpr std::size_t kFirstSegmentWords = 64;
  std::array<capnp::word, kFirstSegmentWords> first_segment_{};
  capnp::MallocMessageBuilder builder_;
  protocol::Frame::Builder root_;

  kj::ArrayPtr<const kj::ArrayPtr<const capnp::word>> segments_;
  // The framing header: segment count - 1, each segment's size in words,
  // padded to a whole word. Inline for up to 15 segments.
  std::array<std::uint32_t, 16> inline_header_{};
  std::vector<std::uint32_t> large_header_;
  std::size_t header_bytes_ = 0;
  std::size_t size_bytes_ = 0;
};

/// A new frame with nothing set but its root.
OutFramePtr make_frame();

}  // namespace idlrpc::detail
