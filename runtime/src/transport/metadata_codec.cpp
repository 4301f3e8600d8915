#include "transport/metadata_codec.hpp"

#include <random>
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

std::size_t metadata_cost(capnp::List<protocol::MetadataEntry>::Reader list) {
  constexpr std::size_t kEntryOverhead = 32;  // RFC 9113 section 6.5.2
  std::size_t cost = 0;
  for (auto entry : list) cost += entry.getKey().size() + entry.getValue().size() + kEntryOverhead;
  return cost;
}

bool MetadataLimits::refuses(std::size_t cost) const {
  if (cost > hard) return true;
  if (cost <= soft) return false;
  thread_local std::minstd_rand random{std::random_device{}()};
  return std::uniform_int_distribution<std::size_t>(soft, hard)(random) < cost;
}

}  // namespace idlrpc::detail
