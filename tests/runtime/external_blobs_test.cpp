// Large `bytes` values beside the message (idlrpc/wire/external_blobs.hpp,
// issue 16): an encode under a scope carries the same values as an ordinary
// one (capnp's canonical form of both is identical), each large value is a
// segment of its own holding the value's bytes with a zeroed tail, and the
// store's limits hold (small values, more than kMaxBlobs values, no scope,
// nested scopes).
#include <cstring>
#include <string>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <gtest/gtest.h>

#include "blob.idl.h"
#include "idlrpc/wire/external_blobs.hpp"

namespace blob {
namespace {

using idlrpc::wire::detail::ExternalBlobs;
using idlrpc::wire::detail::ExternalBlobScope;

// `size` bytes that differ from one position to the next.
idlrpc::Bytes pattern(std::size_t size, unsigned seed) {
  idlrpc::Bytes bytes(size);
  for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<std::uint8_t>((i * 31 + seed) & 0xff);
  return bytes;
}

// `value` encoded into `message`, under a scope of `blobs` when given.
void encode(capnp::MessageBuilder& message, const Blob& value, ExternalBlobs* blobs) {
  if (blobs == nullptr) {
    idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), value);
    return;
  }
  const ExternalBlobScope scope(*blobs);
  idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), value);
}

// What a receiver does with the message's bytes.
Blob decode(capnp::MessageBuilder& message) {
  const kj::Array<capnp::word> flat = capnp::messageToFlatArray(message);
  capnp::FlatArrayMessageReader reader(flat);
  Blob out;
  idlrpc::wire::decode(reader.getRoot<capnp::AnyPointer>(), out);
  return out;
}

kj::Array<capnp::word> canonical(capnp::MessageBuilder& message) {
  return message.getRoot<capnp::AnyPointer>().asReader().getAs<capnp::AnyStruct>().canonicalize();
}

bool same_words(kj::ArrayPtr<const capnp::word> a, kj::ArrayPtr<const capnp::word> b) {
  return a.size() == b.size() && std::memcmp(a.begin(), b.begin(), a.size() * sizeof(capnp::word)) == 0;
}

TEST(ExternalBlobs, LargeValueIsASegmentOfItsOwnWithTheSameContent) {
  const Blob sent{.name = "big", .data = pattern(ExternalBlobs::kMinBytes + 3, 1)};
  ExternalBlobs blobs;
  capnp::MallocMessageBuilder message;
  encode(message, sent, &blobs);
  EXPECT_EQ(blobs.count(), 1u);

  const auto segments = message.getSegmentsForOutput();
  ASSERT_EQ(segments.size(), 2u);
  const kj::ArrayPtr<const capnp::word> blob = segments[1];
  const std::size_t size = sent.data.size();
  ASSERT_EQ(blob.size(), (size + 7) / 8);
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(blob.begin());
  EXPECT_EQ(std::memcmp(bytes, sent.data.data(), size), 0);
  for (std::size_t i = size; i < blob.size() * sizeof(capnp::word); ++i) {
    EXPECT_EQ(bytes[i], 0) << "padding byte " << i << " leaves the process uninitialised";
  }

  EXPECT_EQ(decode(message), sent);
  capnp::MallocMessageBuilder plain;
  encode(plain, sent, nullptr);
  EXPECT_TRUE(same_words(canonical(message), canonical(plain))) << "the values differ from an ordinary encode";
}

TEST(ExternalBlobs, EveryFieldPositionCarriesLargeValues) {
  const Blob sent{.name = "all",
                  .data = pattern(64 * 1024, 2),
                  .parts = {pattern(ExternalBlobs::kMinBytes, 3), "small", pattern(10000, 4)},
                  .named = {{"a", pattern(9000, 5)}, {"b", "tiny"}},
                  .maybe = pattern(20001, 6)};
  ExternalBlobs blobs;
  capnp::MallocMessageBuilder message;
  encode(message, sent, &blobs);
  EXPECT_EQ(blobs.count(), 5u);
  EXPECT_EQ(decode(message), sent);
  capnp::MallocMessageBuilder plain;
  encode(plain, sent, nullptr);
  EXPECT_TRUE(same_words(canonical(message), canonical(plain)));
}

TEST(ExternalBlobs, SmallValuesStayInTheMessage) {
  const Blob sent{.name = "small", .data = pattern(ExternalBlobs::kMinBytes - 1, 7)};
  ExternalBlobs blobs;
  capnp::MallocMessageBuilder message;
  encode(message, sent, &blobs);
  EXPECT_EQ(blobs.count(), 0u);
  EXPECT_EQ(decode(message), sent);
}

TEST(ExternalBlobs, WithoutAScopeTheEncodingIsUnchanged) {
  const Blob sent{.name = "unscoped", .data = pattern(100000, 8)};
  capnp::MallocMessageBuilder message;
  encode(message, sent, nullptr);
  capnp::MallocMessageBuilder by_capnp;  // what capnp's own setData writes
  auto root = by_capnp.getRoot<capnp::AnyPointer>().initAsAnyStruct(idlrpc::MessageTraits<Blob>::kStructSize.data_words,
                                                                   idlrpc::MessageTraits<Blob>::kStructSize.pointers);
  root.getPointerSection()[0].setAs<capnp::Text>("unscoped");
  root.getPointerSection()[1].setAs<capnp::Data>(capnp::Data::Reader(sent.data.data(), sent.data.size()));
  const kj::Array<capnp::word> ours = capnp::messageToFlatArray(message);
  const kj::Array<capnp::word> theirs = capnp::messageToFlatArray(by_capnp);
  EXPECT_TRUE(same_words(ours, theirs));
}

TEST(ExternalBlobs, BeyondTheLimitValuesGoInTheMessage) {
  Blob sent{.name = "many"};
  for (unsigned i = 0; i < ExternalBlobs::kMaxBlobs + 8; ++i) sent.parts.push_back(pattern(ExternalBlobs::kMinBytes, i));
  ExternalBlobs blobs;
  capnp::MallocMessageBuilder message;
  encode(message, sent, &blobs);
  EXPECT_EQ(blobs.count(), ExternalBlobs::kMaxBlobs);
  // The rest went into the builder's own segments, which grow
  // geometrically: a few more, far below the 512 a receiver accepts.
  EXPECT_LE(message.getSegmentsForOutput().size(), ExternalBlobs::kMaxBlobs + 8);
  EXPECT_EQ(decode(message), sent);
}

TEST(ExternalBlobs, ScopesNest) {
  const Blob sent{.data = pattern(ExternalBlobs::kMinBytes, 9)};
  ExternalBlobs outer;
  ExternalBlobs inner;
  capnp::MallocMessageBuilder first;
  capnp::MallocMessageBuilder second;
  capnp::MallocMessageBuilder third;
  {
    const ExternalBlobScope outer_scope(outer);
    {
      const ExternalBlobScope inner_scope(inner);
      idlrpc::wire::encode(first.getRoot<capnp::AnyPointer>(), sent);
    }
    idlrpc::wire::encode(second.getRoot<capnp::AnyPointer>(), sent);
  }
  idlrpc::wire::encode(third.getRoot<capnp::AnyPointer>(), sent);
  EXPECT_EQ(inner.count(), 1u);
  EXPECT_EQ(outer.count(), 1u);
  EXPECT_EQ(decode(first), sent);
  EXPECT_EQ(decode(second), sent);
  EXPECT_EQ(decode(third), sent);
}

}  // namespace
}  // namespace blob
