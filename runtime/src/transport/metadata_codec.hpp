// Metadata to and from the wire's List(MetadataEntry).
#pragma once

#include <capnp/list.h>

#include "idlrpc/metadata.hpp"
#include "protocol/frame.capnp.h"

namespace idlrpc::detail {

/// Fills `list`, which has one element per entry of `metadata`.
void encode_metadata(capnp::List<protocol::MetadataEntry>::Builder list, const Metadata& metadata);

/// Throws std::invalid_argument for a key that is not valid metadata.
Metadata decode_metadata(capnp::List<protocol::MetadataEntry>::Reader list);

}  // namespace idlrpc::detail
