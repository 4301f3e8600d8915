#include "transport/metadata_codec.hpp"

#include <string_view>

namespace idlrpc::detail {

void encode_metadata(capnp::List<protocol::MetadataEntry>::Builder list, const Metadata& metadata) {
  unsigned i = 0;
  for (const auto& [key, value] : metadata) {
    auto entry = list[i++];
    entry.setKey(capnp::Text::Reader(key.data(), key.size()));
    entry.setValue(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(value.data()), value.size()));
  }
}

Metadata decode_metadata(capnp::List<protocol::MetadataEntry>::Reader list) {
  Metadata metadata;
  for (auto entry : list) {
    auto key = entry.getKey();
    auto value = entry.getValue();
    metadata.add(std::string_view(key.cStr(), key.size()),
                 std::string_view(reinterpret_cast<const char*>(value.begin()), value.size()));
  }
  return metadata;
}

}  // namespace idlrpc::detail
