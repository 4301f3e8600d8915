#include "transport/write_batch.hpp"

#include <cstring>

#include "idlrpc/detail/contract.hpp"
#include "transport/out_frame.hpp"

namespace idlrpc::detail {

void WriteBatch::add(const OutFrame& frame) { frame.append_buffers(pieces_); }

const std::vector<boost::asio::const_buffer>& WriteBatch::gather() {
  std::size_t copied_bytes = 0;
  for (const auto& piece : pieces_) {
    if (piece.size() < kCopyBelowBytes) copied_bytes += piece.size();
  }
  // Reserved up front, so the buffers pointing into copied_ stay valid.
  copied_.clear();
  copied_.reserve(copied_bytes);
  bool last_is_copied = false;  // buffers_.back() ends where copied_ does
  for (const auto& piece : pieces_) {
    if (piece.size() >= kCopyBelowBytes) {
      buffers_.push_back(piece);
      last_is_copied = false;
      continue;
    }
    const unsigned char* at = copied_.data() + copied_.size();
    const auto* bytes = static_cast<const unsigned char*>(piece.data());
    copied_.insert(copied_.end(), bytes, bytes + piece.size());
    if (last_is_copied) {
      buffers_.back() = boost::asio::const_buffer(buffers_.back().data(), buffers_.back().size() + piece.size());
    } else {
      buffers_.emplace_back(at, piece.size());
      last_is_copied = true;
    }
  }
  return buffers_;
}

void WriteBatch::consume(std::size_t bytes) {
  auto first = buffers_.begin();
  for (; bytes > 0; ++first) {
    IDLRPC_ASSERT(first != buffers_.end());  // no more than was gathered
    if (bytes < first->size()) {
      *first += bytes;
      break;
    }
    bytes -= first->size();
  }
  buffers_.erase(buffers_.begin(), first);
}

void WriteBatch::clear() noexcept {
  pieces_.clear();
  buffers_.clear();
  copied_.clear();
}

void WriteBatch::copy_all(std::string& out) const {
  std::size_t bytes = 0;
  for (const auto& piece : pieces_) bytes += piece.size();
  out.reserve(out.size() + bytes);
  for (const auto& piece : pieces_) out.append(static_cast<const char*>(piece.data()), piece.size());
}

void WriteBatch::trim() noexcept {
  IDLRPC_ASSERT(pieces_.empty());  // cleared first: nothing refers to the buffers
  constexpr std::size_t kKeptBuffers = kKeptBytes / sizeof(boost::asio::const_buffer);
  if (copied_.capacity() > kKeptBytes) std::vector<unsigned char>().swap(copied_);
  if (pieces_.capacity() > kKeptBuffers) std::vector<boost::asio::const_buffer>().swap(pieces_);
  if (buffers_.capacity() > kKeptBuffers) std::vector<boost::asio::const_buffer>().swap(buffers_);
}

}  // namespace idlrpc::detail
