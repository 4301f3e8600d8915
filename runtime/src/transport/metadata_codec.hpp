// Metadata to and from the wire's List(MetadataEntry).
#pragma once

#include <cstddef>

#include <capnp/list.h>

#include "idlrpc/metadata.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

/// Fills `list`, which has one element per entry of `metadata`.
void encode_metadata(capnp::List<protocol::MetadataEntry>::Builder list, const Metadata& metadata);

/// Throws std::invalid_argument for a key that is not valid metadata.
Metadata decode_metadata(capnp::List<protocol::MetadataEntry>::Reader list);

/// What a received metadata list costs as HTTP/2 counts a header list:
/// each entry's key and value plus 32 bytes, so that many empty entries
/// cost too. Reads only sizes: checked before anything is copied.
std::size_t metadata_cost(capnp::List<protocol::MetadataEntry>::Reader list);

/// Bytes of metadata a call may carry: past `hard`, refused; past `soft`,
/// refused with a probability that grows linearly up to `hard` (gRPC's
/// rule: a client that grows its metadata notices before the wall).
struct MetadataLimits {
  std::size_t soft = 8 * 1024;
  std::size_t hard = 16 * 1024;
  /// Whether a list of this cost is refused (draws a random number
  /// between the limits).
  bool refuses(std::size_t cost) const;
};

}  // namespace idlrpc::detail
