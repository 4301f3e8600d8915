#include "transport/out_frame.hpp"

#include <bit>

#include "transport/frame_buffers.hpp"

namespace idlrpc::detail {
namespace {

std::uint32_t to_le(std::uint32_t v) {
  if constexpr (std::endian::native == std::endian::little) {
    return v;
  } else {
    return ((v & 0xffu) << 24) | ((v & 0xff00u) << 8) | ((v >> 8) & 0xff00u) | (v >> 24);
  }
}

}  // namespace

OutFrame::OutFrame()
    : external_blobs_([](std::size_t words) { return FrameBuffers::shared().take(words); }),
      builder_(kj::arrayPtr(first_segment_.data(), first_segment_.size())),
      root_(builder_.initRoot<protocol::Frame>()) {}

std::size_t OutFrame::seal() {
  segments_ = builder_.getSegmentsForOutput();
  const std::size_t count = segments_.size();
  const std::size_t header_words32 = (count + 2) & ~std::size_t{1};  // 1 + count, rounded up to even
  std::uint32_t* header = inline_header_.data();
  if (header_words32 > inline_header_.size()) {
    large_header_.assign(header_words32, 0);
    header = large_header_.data();
  }
  header[0] = to_le(static_cast<std::uint32_t>(count - 1));
  std::size_t body_bytes = 0;
  for (std::size_t i = 0; i < count; ++i) {
    header[i + 1] = to_le(static_cast<std::uint32_t>(segments_[i].size()));
    body_bytes += segments_[i].size() * sizeof(capnp::word);
  }
  if ((count + 1) % 2 == 1) header[count + 1] = 0;  // padding
  header_bytes_ = header_words32 * sizeof(std::uint32_t);
  size_bytes_ = header_bytes_ + body_bytes;
  return size_bytes_;
}

void OutFrame::append_buffers(std::vector<boost::asio::const_buffer>& out) const {
  const std::uint32_t* header = large_header_.empty() ? inline_header_.data() : large_header_.data();
  out.emplace_back(header, header_bytes_);
  for (const auto& segment : segments_) {
    out.emplace_back(segment.begin(), segment.size() * sizeof(capnp::word));
  }
}

OutFramePtr make_frame() { return OutFramePtr(new OutFrame()); }

void OutFrameDeleter::operator()(OutFrame* frame) const noexcept { delete frame; }

OutFramePtr make_message_frame() {
  OutFramePtr frame = make_frame();
  frame->frame().initMessage();
  return frame;
}

capnp::AnyPointer::Builder message_payload(OutFrame& frame) {
  return frame.frame().getMessage().getPayload();
}

wire::detail::ExternalBlobs& external_blobs(OutFrame& frame) { return frame.external_blobs(); }

}  // namespace idlrpc::detail
