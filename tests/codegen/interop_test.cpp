// Interop with Cap'n Proto's own generated C++ for the schema idlc emits
// (everything.capnp, compiled by `capnp compile -oc++` at build time):
//   1. bytes written by idlrpc read back correctly through capnp's readers;
//   2. bytes written by capnp's builders decode to the same idlrpc value;
//   3. when the capnp side sets fields in ordinal order, both write
//      byte-identical messages.
#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <vector>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "everything.capnp.h"
#include "sample_everything.hpp"

namespace {

using codegen_test::sample_everything;

capnp::Data::Reader data(std::initializer_list<capnp::byte> bytes) { return {bytes.begin(), bytes.size()}; }

// The capnp-side equivalent of sample_leaf()/sample_inner(), ordinal order.
void build_leaf(::idlrpc_capnp::interop::Everything::Inner::Builder leaf) {
  leaf.setName("leaf");
  leaf.setValue(-1);
}
void build_inner(::idlrpc_capnp::interop::Everything::Inner::Builder inner) {
  inner.setValue(7);  // name is empty: left unset, as idlrpc does
  build_leaf(inner.initChild());
  auto children = inner.initChildren(2);
  build_leaf(children[0]);
  children[1].setName("c2");
}

// sample_everything() through capnp's generated builders, field by field in
// ordinal order (what a capnp program setting fields in order would do).
void build_with_capnp(::idlrpc_capnp::interop::Everything::Builder b) {
  b.setFlag(true);
  b.setI8(std::numeric_limits<std::int8_t>::min());
  b.setI16(std::numeric_limits<std::int16_t>::min());
  b.setI32(std::numeric_limits<std::int32_t>::min());
  b.setI64(std::numeric_limits<std::int64_t>::min());
  b.setU8(std::numeric_limits<std::uint8_t>::max());
  b.setU16(std::numeric_limits<std::uint16_t>::max());
  b.setU32(std::numeric_limits<std::uint32_t>::max());
  b.setU64(std::numeric_limits<std::uint64_t>::max());
  b.setF32(std::numeric_limits<float>::lowest());
  b.setF64(std::numeric_limits<double>::denorm_min());
  b.setText("h\u00e9llo, w\u00f6rld \u2713 \u65e5\u672c");
  const capnp::byte blob[] = {0x00, 0x01, 0xff, 0x80};
  b.setBlob(capnp::Data::Reader(blob, sizeof blob));
  b.setColor(::idlrpc_capnp::interop::Color::DEEP_BLUE);
  b.setInts({0, -1, std::numeric_limits<std::int32_t>::max()});
  b.setBools({true, false, true, true, false, false, false, false, true});
  b.setNames({"", "ascii", "\u00fcn\u00efcode"});
  auto inners = b.initInners(2);
  build_leaf(inners[0]);
  build_inner(inners[1]);
  auto blobs = b.initBlobs(2);
  blobs.set(0, capnp::Data::Reader());
  blobs.set(1, data({0x00}));
  b.setColors({::idlrpc_capnp::interop::Color::RED, ::idlrpc_capnp::interop::Color::DEEP_BLUE, ::idlrpc_capnp::interop::Color::UNUSED3});
  auto matrix = b.initMatrix(3);
  matrix.set(0, {1, 2});
  matrix.init(1, 0);
  matrix.set(2, {3});
  b.setDoubles({0.5, -0.0, std::numeric_limits<double>::infinity()});
  build_inner(b.initInner());
  auto where = b.initWhere();
  where.setLat(48.8566);
  where.setLon(2.3522);
  where.setLabel("Paris");
  b.initMaybeInt().setValue(0);
  b.setMaybeText("");
  b.initMaybeColor().setValue(::idlrpc_capnp::interop::Color::GREEN);
  b.initMaybeFlag().setValue(false);
  b.setMaybeBytes(capnp::Data::Reader());
  auto scores = b.initScores(3);
  scores[0].setKey("a");
  scores[0].setValue(1);
  scores[1].setKey("b");
  scores[1].setValue(-2);
  scores[2].setKey("\u00e9");
  scores[2].setValue(3);
  auto by_id = b.initById(2);
  by_id[0].setKey(-5);
  build_leaf(by_id[0].initValue());
  by_id[1].setKey(9);
  by_id[1].initValue();
  auto small = b.initSmall(2);
  small[0].setKey(0);
  small[0].setValue(true);
  small[1].setKey(255);
  small[1].setValue(false);
  auto nested = b.initNestedMap(2);
  nested[0].setKey("x");
  auto inner_map = nested[0].initValue(1);
  inner_map[0].setKey("y");
  inner_map[0].setValue(1.5);
  nested[1].setKey("z");  // empty map value: left unset
  auto list_of_maps = b.initListOfMaps(2);
  auto first = list_of_maps.init(0, 1);
  first[0].setKey(1);
  first[0].setValue("one");
  list_of_maps.init(1, 0);
  b.setLate(1e300);
  b.setUnit(::idlrpc_capnp::interop::geo::Unit::FEET);
  b.setTiny(42);
}

kj::Array<capnp::word> encode_with_idlrpc(const interop::Everything& value) {
  capnp::MallocMessageBuilder message;
  idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), value);
  return capnp::messageToFlatArray(message);
}

kj::Array<capnp::word> encode_with_capnp() {
  capnp::MallocMessageBuilder message;
  build_with_capnp(message.initRoot<::idlrpc_capnp::interop::Everything>());
  return capnp::messageToFlatArray(message);
}

void expect_leaf(::idlrpc_capnp::interop::Everything::Inner::Reader leaf) {
  EXPECT_EQ(leaf.getName(), "leaf");
  EXPECT_EQ(leaf.getValue(), -1);
  EXPECT_FALSE(leaf.hasChild());
  EXPECT_EQ(leaf.getChildren().size(), 0u);
}
void expect_inner(::idlrpc_capnp::interop::Everything::Inner::Reader inner) {
  EXPECT_FALSE(inner.hasName());
  EXPECT_EQ(inner.getValue(), 7);
  ASSERT_TRUE(inner.hasChild());
  expect_leaf(inner.getChild());
  ASSERT_EQ(inner.getChildren().size(), 2u);
  expect_leaf(inner.getChildren()[0]);
  EXPECT_EQ(inner.getChildren()[1].getName(), "c2");
}

TEST(Interop, CapnpReadsWhatIdlrpcWrites) {
  const auto words = encode_with_idlrpc(sample_everything());
  capnp::FlatArrayMessageReader message(words);
  const auto r = message.getRoot<::idlrpc_capnp::interop::Everything>();
  EXPECT_TRUE(r.getFlag());
  EXPECT_EQ(r.getI8(), std::numeric_limits<std::int8_t>::min());
  EXPECT_EQ(r.getI16(), std::numeric_limits<std::int16_t>::min());
  EXPECT_EQ(r.getI32(), std::numeric_limits<std::int32_t>::min());
  EXPECT_EQ(r.getI64(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(r.getU8(), std::numeric_limits<std::uint8_t>::max());
  EXPECT_EQ(r.getU16(), std::numeric_limits<std::uint16_t>::max());
  EXPECT_EQ(r.getU32(), std::numeric_limits<std::uint32_t>::max());
  EXPECT_EQ(r.getU64(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(r.getF32(), std::numeric_limits<float>::lowest());
  EXPECT_EQ(r.getF64(), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(r.getText(), "h\u00e9llo, w\u00f6rld \u2713 \u65e5\u672c");
  EXPECT_EQ(r.getBlob(), data({0x00, 0x01, 0xff, 0x80}));
  EXPECT_EQ(r.getColor(), ::idlrpc_capnp::interop::Color::DEEP_BLUE);
  ASSERT_EQ(r.getInts().size(), 3u);
  EXPECT_EQ(r.getInts()[2], std::numeric_limits<std::int32_t>::max());
  ASSERT_EQ(r.getBools().size(), 9u);
  EXPECT_TRUE(r.getBools()[8]);
  EXPECT_FALSE(r.getBools()[7]);
  ASSERT_EQ(r.getNames().size(), 3u);
  EXPECT_EQ(r.getNames()[0], "");
  EXPECT_EQ(r.getNames()[2], "\u00fcn\u00efcode");
  ASSERT_EQ(r.getInners().size(), 2u);
  expect_leaf(r.getInners()[0]);
  expect_inner(r.getInners()[1]);
  ASSERT_EQ(r.getBlobs().size(), 2u);
  EXPECT_EQ(r.getBlobs()[0].size(), 0u);
  EXPECT_EQ(r.getBlobs()[1], data({0x00}));
  ASSERT_EQ(r.getColors().size(), 3u);
  EXPECT_EQ(r.getColors()[2], ::idlrpc_capnp::interop::Color::UNUSED3);
  ASSERT_EQ(r.getMatrix().size(), 3u);
  EXPECT_EQ(r.getMatrix()[0][1], 2);
  EXPECT_EQ(r.getMatrix()[1].size(), 0u);
  EXPECT_EQ(r.getMatrix()[2][0], 3);
  ASSERT_EQ(r.getDoubles().size(), 3u);
  EXPECT_TRUE(std::signbit(r.getDoubles()[1]));
  EXPECT_TRUE(std::isinf(r.getDoubles()[2]));
  expect_inner(r.getInner());
  EXPECT_EQ(r.getWhere().getLat(), 48.8566);
  EXPECT_EQ(r.getWhere().getLabel(), "Paris");
  ASSERT_TRUE(r.hasMaybeInt());
  EXPECT_EQ(r.getMaybeInt().getValue(), 0);
  ASSERT_TRUE(r.hasMaybeText());
  EXPECT_EQ(r.getMaybeText(), "");
  EXPECT_FALSE(r.hasMaybeInner());
  ASSERT_TRUE(r.hasMaybeColor());
  EXPECT_EQ(r.getMaybeColor().getValue(), ::idlrpc_capnp::interop::Color::GREEN);
  ASSERT_TRUE(r.hasMaybeFlag());
  EXPECT_FALSE(r.getMaybeFlag().getValue());
  EXPECT_FALSE(r.hasMaybeUnit());
  EXPECT_TRUE(r.hasMaybeBytes());
  ASSERT_EQ(r.getScores().size(), 3u);
  EXPECT_EQ(r.getScores()[1].getKey(), "b");
  EXPECT_EQ(r.getScores()[1].getValue(), -2);
  EXPECT_EQ(r.getScores()[2].getKey(), "\u00e9");
  ASSERT_EQ(r.getById().size(), 2u);
  EXPECT_EQ(r.getById()[0].getKey(), -5);
  expect_leaf(r.getById()[0].getValue());
  ASSERT_EQ(r.getSmall().size(), 2u);
  EXPECT_EQ(r.getSmall()[1].getKey(), 255);
  EXPECT_TRUE(r.getSmall()[0].getValue());
  ASSERT_EQ(r.getNestedMap().size(), 2u);
  EXPECT_EQ(r.getNestedMap()[0].getValue()[0].getKey(), "y");
  EXPECT_EQ(r.getNestedMap()[0].getValue()[0].getValue(), 1.5);
  EXPECT_EQ(r.getNestedMap()[1].getValue().size(), 0u);
  ASSERT_EQ(r.getListOfMaps().size(), 2u);
  EXPECT_EQ(r.getListOfMaps()[0][0].getValue(), "one");
  EXPECT_EQ(r.getLate(), 1e300);
  EXPECT_EQ(r.getUnit(), ::idlrpc_capnp::interop::geo::Unit::FEET);
  EXPECT_EQ(r.getTiny(), 42);
}

TEST(Interop, IdlrpcReadsWhatCapnpWrites) {
  const auto words = encode_with_capnp();
  capnp::FlatArrayMessageReader message(words);
  interop::Everything decoded;
  idlrpc::wire::decode(message.getRoot<capnp::AnyPointer>(), decoded);
  EXPECT_EQ(decoded, sample_everything()) << idlrpc::to_string(decoded);
}

TEST(Interop, BothWriteIdenticalBytes) {
  const auto ours = encode_with_idlrpc(sample_everything());
  const auto theirs = encode_with_capnp();
  ASSERT_EQ(ours.size(), theirs.size());
  EXPECT_EQ(0, memcmp(ours.begin(), theirs.begin(), ours.size() * sizeof(capnp::word)));
}

TEST(Interop, DefaultMessageIsIdenticalToAnEmptyCapnpStruct) {
  capnp::MallocMessageBuilder theirs_message;
  auto theirs_root = theirs_message.initRoot<::idlrpc_capnp::interop::Everything>();
  theirs_root.initInner();  // idlrpc always writes plain message fields
  theirs_root.initWhere();
  const auto theirs = capnp::messageToFlatArray(theirs_message);
  const auto ours = encode_with_idlrpc(interop::Everything{});
  ASSERT_EQ(ours.size(), theirs.size());
  EXPECT_EQ(0, memcmp(ours.begin(), theirs.begin(), ours.size() * sizeof(capnp::word)));
}

// idlrpc::to_bytes is exactly capnp::messageToFlatArray of the same
// message built with capnp's generated code, and from_bytes reads that.
TEST(Interop, ToBytesIsWhatCapnpWrites) {
  const auto theirs = encode_with_capnp();
  const idlrpc::Bytes ours = idlrpc::to_bytes(sample_everything());
  ASSERT_EQ(ours.size(), theirs.asBytes().size());
  EXPECT_EQ(0, memcmp(ours.data(), theirs.asBytes().begin(), ours.size()));
  const std::span<const std::uint8_t> their_bytes(theirs.asBytes().begin(), theirs.asBytes().size());
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(their_bytes), sample_everything());
}

// Past capnp's first segment (8 KiB) a message has several segments; both
// sides still agree byte for byte.
TEST(Interop, ToBytesOfAMultiSegmentMessageIsWhatCapnpWrites) {
  std::vector<capnp::byte> big(100'000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<capnp::byte>(i * 7);
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<::idlrpc_capnp::interop::Everything>();
  root.setText("after the blob comes text");
  root.setBlob(capnp::Data::Reader(big.data(), big.size()));
  root.initInner();
  root.initWhere();
  ASSERT_GT(message.getSegmentsForOutput().size(), 1u);
  const auto theirs = capnp::messageToFlatArray(message);

  const interop::Everything value{.text = "after the blob comes text", .blob = idlrpc::Bytes(big)};
  const idlrpc::Bytes ours = idlrpc::to_bytes(value);
  ASSERT_EQ(ours.size(), theirs.asBytes().size());
  EXPECT_EQ(0, memcmp(ours.data(), theirs.asBytes().begin(), ours.size()));
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(ours), value);
}

}  // namespace
