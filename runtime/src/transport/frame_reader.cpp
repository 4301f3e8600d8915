#include "transport/frame_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include <fmt/format.h>

#include "transport/frame_buffers.hpp"

namespace idlrpc::detail {
namespace {

std::uint32_t load_u32_le(const std::byte* at) {
  std::uint32_t v;
  std::memcpy(&v, at, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    v = ((v & 0xffu) << 24) | ((v & 0xff00u) << 8) | ((v >> 8) & 0xff00u) | (v >> 24);
  }
  return v;
}

}  // namespace

FrameReader::FrameReader(std::size_t max_frame_bytes) : max_frame_bytes_(max_frame_bytes) {}

boost::asio::mutable_buffer FrameReader::prepare() {
  reserve(std::max(needed_, target_bytes_));
  auto* base = reinterpret_cast<std::byte*>(buffer_.begin());
  // A large frame is read up to its own end and no further, so it ends up
  // alone in its buffer and release() can hand the buffer over.
  const std::size_t room = needed_ >= kLargeFrameBytes ? needed_ - end_ : capacity_ - end_;
  return {base + end_, room};
}

kj::Array<capnp::word> FrameReader::release(kj::ArrayPtr<const capnp::word> frame) {
  const bool alone = frame.begin() == buffer_.begin() && begin_ == 0 && end_ == 0 &&
                     frame.size() * sizeof(capnp::word) == capacity_;
  if (!alone || capacity_ < kLargeFrameBytes) return nullptr;
  capacity_ = 0;
  return std::move(buffer_);  // the next prepare() starts a fresh buffer
}

void FrameReader::reserve(std::size_t frame_bytes) {
  // Move the unconsumed tail to the front (frames are whole words, so
  // begin_ stays word-aligned), then grow if the frame still does not fit.
  if (begin_ > 0) {
    auto* base = reinterpret_cast<std::byte*>(buffer_.begin());
    std::memmove(base, base + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  std::size_t capacity;
  if (frame_bytes >= kLargeFrameBytes) {
    // Exactly the frame: it will leave with its buffer (release()).
    if (frame_bytes == capacity_) return;
    capacity = frame_bytes;
  } else {
    // Keep room for a useful read beyond the frame in progress.
    const std::size_t wanted = std::max(frame_bytes, end_ + kMinReadBytes);
    if (wanted <= capacity_) return;
    capacity = std::max(capacity_ * 2, kInitialBytes);
    while (capacity < wanted) capacity *= 2;
  }
  // Not zeroed: every byte is read into before it is looked at.
  auto grown = capacity >= kLargeFrameBytes ? FrameBuffers::shared().take(capacity / sizeof(capnp::word))
                                            : kj::heapArray<capnp::word>(capacity / sizeof(capnp::word));
  if (end_ > 0) std::memcpy(grown.begin(), buffer_.begin(), end_);
  buffer_ = std::move(grown);
  capacity_ = capacity;
}

std::optional<kj::ArrayPtr<const capnp::word>> FrameReader::next() {
  const std::size_t available = end_ - begin_;
  if (available < 4) return std::nullopt;
  const auto* at = reinterpret_cast<const std::byte*>(buffer_.begin()) + begin_;

  const std::uint64_t segments = std::uint64_t{load_u32_le(at)} + 1;
  if (segments > kMaxSegments) {
    throw ProtocolError(fmt::format("frame header claims {} segments (limit {})", segments, kMaxSegments));
  }
  const std::size_t header_bytes = ((segments + 2) & ~std::uint64_t{1}) * 4;
  if (available < header_bytes) {
    needed_ = header_bytes;
    return std::nullopt;
  }
  std::uint64_t total_bytes = header_bytes;
  for (std::uint64_t i = 0; i < segments; ++i) {
    total_bytes += std::uint64_t{load_u32_le(at + 4 + 4 * i)} * sizeof(capnp::word);
  }
  if (total_bytes > max_frame_bytes_) {
    throw ProtocolError(
        fmt::format("frame header claims {} bytes (limit {})", total_bytes, max_frame_bytes_));
  }
  if (available < total_bytes) {
    needed_ = static_cast<std::size_t>(total_bytes);
    return std::nullopt;
  }
  needed_ = 0;
  const auto* words = reinterpret_cast<const capnp::word*>(at);
  begin_ += static_cast<std::size_t>(total_bytes);
  if (begin_ == end_) begin_ = end_ = 0;  // nothing left: the next read starts at the front
  return kj::arrayPtr(words, static_cast<std::size_t>(total_bytes / sizeof(capnp::word)));
}

}  // namespace idlrpc::detail
