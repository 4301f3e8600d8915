// Issue 15: `bytes` fields built from strings arrive intact over a real
// connection (every byte value, embedded NULs, in every field position),
// and a message serialized with idlrpc::to_bytes travels in a `bytes`
// field and comes back out with from_bytes on the server. Both handler
// styles are not needed here: the encoding is the same code either way.
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "blob.idl.h"
#include "idlrpc/server.hpp"

namespace blob {
namespace {

class BlobStore final : public Store::Service {
 public:
  Blob Echo(idlrpc::ServerContext&, const Blob& request) override { return request; }
  Blob Open(idlrpc::ServerContext&, const Envelope& envelope) override {
    if (envelope.kind != "blob") throw idlrpc::Error(idlrpc::StatusCode::INVALID_ARGUMENT, "not a blob");
    try {
      return idlrpc::from_bytes<Blob>(envelope.body);
    } catch (const idlrpc::wire::DecodeError& e) {
      throw idlrpc::Error(idlrpc::StatusCode::INVALID_ARGUMENT, e.what());
    }
  }
};

class BytesOverTheWire : public ::testing::Test {
 protected:
  BytesOverTheWire() {
    server_.add_service(service_);
    server_.start();
  }
  Store::Client client() { return Store::Client(idlrpc::Channel("127.0.0.1:" + std::to_string(server_.port()))); }

  BlobStore service_;
  idlrpc::Server server_{idlrpc::ServerOptions{.listen = {"127.0.0.1:0"}}};
};

std::string every_byte() {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  return all;
}

TEST_F(BytesOverTheWire, StringsInBytesFieldsRoundTrip) {
  const std::string all = every_byte();
  const std::string_view view = "a view";
  const Blob sent{.name = "mixed",
                  .data = all,
                  .parts = {"", std::string("\0\0", 2), view},
                  .named = {{"token", "s3cr3t"}, {"nul", std::string(1, '\0')}},
                  .maybe = ""};
  const Blob got = client().Echo(sent);
  EXPECT_EQ(got, sent);
  EXPECT_EQ(got.data.str(), all);
  EXPECT_EQ(std::string_view(got.parts[2]), "a view");
  EXPECT_EQ(got.parts[1].size(), 2u);
  EXPECT_EQ(got.named.at("token"), "s3cr3t");
  ASSERT_TRUE(got.maybe.has_value());  // set and empty is not unset
  EXPECT_EQ(*got.maybe, "");
}

// Issue 16: values from ExternalBlobs::kMinBytes on travel as segments of
// their own (external_blobs.hpp), at most kMaxBlobs per message; odd sizes
// need a padded last word. Both directions, every field position.
TEST_F(BytesOverTheWire, LargeValuesInEveryPositionRoundTrip) {
  const auto pattern = [](std::size_t size, unsigned seed) {
    idlrpc::Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i * 7 + seed) & 0xff);
    return bytes;
  };
  Blob sent{.name = "large",
            .data = pattern((1u << 20) + 5, 1),
            .named = {{"key", pattern(9001, 2)}, {"small", "v"}},
            .maybe = pattern(idlrpc::wire::detail::ExternalBlobs::kMinBytes, 3)};
  for (unsigned i = 0; i < idlrpc::wire::detail::ExternalBlobs::kMaxBlobs + 8; ++i) {
    sent.parts.push_back(pattern(idlrpc::wire::detail::ExternalBlobs::kMinBytes + i, i));
  }
  Store::Client store = client();
  for (int round = 0; round < 3; ++round) EXPECT_EQ(store.Echo(sent), sent) << "round " << round;
}

TEST_F(BytesOverTheWire, ASerializedMessageTravelsInABytesField) {
  const Blob inner{.name = "inner", .data = every_byte(), .parts = {"x"}};
  const Envelope envelope{.kind = "blob", .body = idlrpc::to_bytes(inner)};
  EXPECT_EQ(client().Open(envelope), inner);
}

TEST_F(BytesOverTheWire, MalformedSerializedBytesAreAnErrorNotACrash) {
  Envelope envelope{.kind = "blob", .body = idlrpc::to_bytes(Blob{.name = "cut"})};
  envelope.body.resize(envelope.body.size() - 8);
  try {
    client().Open(envelope);
    FAIL() << "expected INVALID_ARGUMENT";
  } catch (const idlrpc::RpcError& e) {
    EXPECT_EQ(e.code(), idlrpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(e.message(), "blob.Blob: the segment table announces " +
                                        std::to_string(envelope.body.size() + 8) + " bytes but the input has " +
                                        std::to_string(envelope.body.size()) + ": truncated");
  }
}

}  // namespace
}  // namespace blob
