// OutFramePtr, an outgoing frame's owner, named without Cap'n Proto: what
// a header needs to hold an encoded message it does not build (the
// awaitable of a unary call). Building one: out_frame.hpp.
#pragma once

#include <memory>

namespace idlrpc::detail {

class OutFrame;  // runtime/src/transport/out_frame.hpp
struct OutFrameDeleter {
  void operator()(OutFrame* frame) const noexcept;
};
using OutFramePtr = std::unique_ptr<OutFrame, OutFrameDeleter>;

}  // namespace idlrpc::detail
