// Generated code through idlrpc's wire layer alone: round trips, the debug
// form, schema evolution, and malformed input, which must always end in
// DecodeError and never in a crash.
#include <gtest/gtest.h>

#include <random>

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <fmt/format.h>

#include "recursive.idl.h"
#include "sample_everything.hpp"

namespace {

using codegen_test::sample_everything;
using codegen_test::sample_leaf;

template <class T>
kj::Array<capnp::word> encode(const T& value) {
  capnp::MallocMessageBuilder message;
  idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), value);
  return capnp::messageToFlatArray(message);
}

// Decodes a single segment (no framing), as the runtime does after reading a frame.
template <class T>
T decode_segment(kj::ArrayPtr<const capnp::word> segment, capnp::ReaderOptions options = {}) {
  const kj::ArrayPtr<const capnp::word> segments[] = {segment};
  capnp::SegmentArrayMessageReader message(segments, options);
  T out;
  idlrpc::wire::decode(message.getRoot<capnp::AnyPointer>(), out);
  return out;
}

// The segment of a flat array written by messageToFlatArray (one segment:
// an 8-byte header, then the words).
kj::ArrayPtr<const capnp::word> segment_of(const kj::Array<capnp::word>& flat) { return flat.slice(1, flat.size()); }

template <class T>
T round_trip(const T& value) {
  const auto flat = encode(value);
  return decode_segment<T>(segment_of(flat));
}

TEST(RoundTrip, EveryType) { EXPECT_EQ(round_trip(sample_everything()), sample_everything()); }

TEST(RoundTrip, DefaultMessage) { EXPECT_EQ(round_trip(interop::Everything{}), interop::Everything{}); }

TEST(RoundTrip, MultiSegmentMessagesWithFarPointers) {
  // Tiny fixed-size segments force far pointers, as other capnp writers
  // (or a big message) produce.
  capnp::MallocMessageBuilder message(8, capnp::AllocationStrategy::FIXED_SIZE);
  idlrpc::wire::encode(message.getRoot<capnp::AnyPointer>(), sample_everything());
  const auto segments = message.getSegmentsForOutput();
  ASSERT_GT(segments.size(), 10u);
  capnp::SegmentArrayMessageReader reader(segments);
  interop::Everything decoded;
  idlrpc::wire::decode(reader.getRoot<capnp::AnyPointer>(), decoded);
  EXPECT_EQ(decoded, sample_everything());
}

TEST(RoundTrip, StringBytesAreKeptAsTheyAre) {
  // Not validated as UTF-8 on either side (docs/wire-format.md); an embedded NUL is kept too.
  const interop::Everything value{.text = std::string("\xff\xfe not UTF-8 \0 after a NUL", 26)};
  EXPECT_EQ(round_trip(value).text, value.text);
}

TEST(RoundTrip, EmptyAndUnsetOptionalsStayDistinct) {
  interop::Everything set_empty{.maybe_int = 0, .maybe_text = "", .maybe_flag = false, .maybe_bytes = idlrpc::Bytes{}};
  const auto decoded = round_trip(set_empty);
  ASSERT_TRUE(decoded.maybe_text.has_value());
  EXPECT_EQ(*decoded.maybe_text, "");
  ASSERT_TRUE(decoded.maybe_int.has_value());
  ASSERT_TRUE(decoded.maybe_flag.has_value());
  ASSERT_TRUE(decoded.maybe_bytes.has_value());
  const auto unset = round_trip(interop::Everything{});
  EXPECT_FALSE(unset.maybe_text.has_value());
  EXPECT_FALSE(unset.maybe_int.has_value());
  EXPECT_FALSE(unset.maybe_color.has_value());
}

TEST(RoundTrip, SelfAndMutuallyRecursiveMessages) {
  Node node{.value = 1,
            .next = Node{.value = 2, .next = Node{.value = 3}},
            .children = {Node{.value = 4}, Node{.value = 5, .children = {Node{.value = 6}}}},
            .parent = Node{.value = 0},
            .named = {{"seven", Node{.value = 7}}}};
  const Node decoded = round_trip(node);
  EXPECT_EQ(decoded, node);
  EXPECT_EQ(decoded.next->next->value, 3);
  EXPECT_FALSE(decoded.next->next->next.has_value());  // an empty Box stays null on the wire

  Forest forest{.best = Tree{.leaf = {.name = "oak"}}, .trees = {Tree{.forest = Forest{}}, Tree{}}};
  EXPECT_EQ(round_trip(forest), forest);
  Outer outer{.inner = Outer::Inner{.outer = Outer{.inner = Outer::Inner{.rank = 9}}, .rank = -9}};
  EXPECT_EQ(round_trip(outer), outer);
}

TEST(RoundTrip, OptionalMessageWithoutFieldsIsStillSet) {
  // A zero-sized struct still has a non-null pointer on the wire.
  const Leaf decoded = round_trip(Leaf{.name = "x", .marker = Empty{}});
  EXPECT_TRUE(decoded.marker.has_value());
  EXPECT_FALSE(round_trip(Leaf{.name = "x"}).marker.has_value());
}

TEST(Box, HasValueSemantics) {
  idlrpc::Box<Node> a = Node{.value = 1};
  idlrpc::Box<Node> b = a;
  b->value = 2;
  EXPECT_EQ(a->value, 1);
  EXPECT_NE(a, b);
  EXPECT_EQ(idlrpc::Box<Node>(), idlrpc::Box<Node>(Node{}));  // empty reads as default
  const idlrpc::Box<Node> empty;
  EXPECT_EQ(empty->value, 0);
  EXPECT_FALSE(empty.has_value());
}

TEST(DebugForm, PrintsFieldsInDeclarationOrder) {
  EXPECT_EQ(idlrpc::to_string(sample_leaf()), R"(Everything.Inner{name: "leaf", value: -1, child: null, children: []})");
  interop::Everything value{.blob = {0x00, 0xff}, .colors = {interop::Color::GREEN, static_cast<interop::Color>(3)},
                            .scores = {{"a\"b", 1}}, .small = {{7, true}}};
  const std::string text = fmt::format("{}", value);
  EXPECT_NE(text.find(R"(blob: 0x"00ff")"), std::string::npos) << text;
  EXPECT_NE(text.find("colors: [GREEN, 3]"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(scores: {"a\"b": 1})"), std::string::npos) << text;
  EXPECT_NE(text.find("small: {7: true}"), std::string::npos) << text;
  EXPECT_NE(text.find("maybe_int: null"), std::string::npos) << text;
  EXPECT_EQ(fmt::format("{}", interop::Color::DEEP_BLUE), "DEEP_BLUE");
}

// ---- Schema evolution: a struct from an older, smaller schema.

TEST(SchemaEvolution, FieldsMissingFromAnOlderWriterReadAsDefaults) {
  capnp::MallocMessageBuilder message;
  // An Inner as a schema with only `name` (0 data words, 1 pointer) wrote it.
  auto old = message.getRoot<capnp::AnyPointer>().initAsAnyStruct(0, 1);
  old.getPointerSection()[0].setAs<capnp::Text>("old");
  const auto flat = capnp::messageToFlatArray(message);
  const auto decoded = decode_segment<interop::Everything::Inner>(segment_of(flat));
  EXPECT_EQ(decoded, interop::Everything::Inner{.name = "old"});
}

TEST(SchemaEvolution, UnknownEnumValuesKeepTheirNumber) {
  capnp::MallocMessageBuilder message;
  constexpr auto size = idlrpc::MessageTraits<interop::Everything>::kStructSize;
  auto root = message.getRoot<capnp::AnyPointer>().initAsAnyStruct(size.data_words, size.pointers);
  idlrpc::wire::StructBuilder(root).set<std::uint16_t>(18, 99);  // `color` is bits [288, 304)
  const auto flat = capnp::messageToFlatArray(message);
  const auto decoded = decode_segment<interop::Everything>(segment_of(flat));
  EXPECT_EQ(static_cast<std::uint16_t>(decoded.color), 99);
  EXPECT_EQ(fmt::format("{}", decoded.color), "99");
}

// ---- Malformed input.

// A message whose root is an Everything with pointer `index` replaced by `fill`.
template <class Fill>
kj::Array<capnp::word> everything_with_pointer(unsigned index, Fill fill) {
  capnp::MallocMessageBuilder message;
  constexpr auto size = idlrpc::MessageTraits<interop::Everything>::kStructSize;
  auto root = message.getRoot<capnp::AnyPointer>().initAsAnyStruct(size.data_words, size.pointers);
  fill(root.getPointerSection()[index]);
  return capnp::messageToFlatArray(message);
}

void expect_decode_error(const kj::Array<capnp::word>& flat, const std::string& needle) {
  try {
    decode_segment<interop::Everything>(segment_of(flat));
    ADD_FAILURE() << "decoded without error; expected: " << needle;
  } catch (const idlrpc::wire::DecodeError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("interop.Everything"), std::string::npos) << e.what();
  }
}

TEST(Malformed, RootThatIsNotAStruct) {
  capnp::MallocMessageBuilder message;
  message.getRoot<capnp::AnyPointer>().initAs<capnp::List<std::uint32_t>>(3);
  expect_decode_error(capnp::messageToFlatArray(message), "expected a struct");
}

TEST(Malformed, StructWhereTextIsExpected) {
  expect_decode_error(everything_with_pointer(0, [](auto slot) { slot.initAsAnyStruct(1, 0); }), "text");
}

TEST(Malformed, TextWithoutNulTerminator) {
  expect_decode_error(everything_with_pointer(0, [](auto slot) { slot.template setAs<capnp::Data>(kj::StringPtr("abc").asBytes()); }),
                      "not NUL-terminated");
}

TEST(Malformed, BitListWhereStructListIsExpected) {
  expect_decode_error(everything_with_pointer(5, [](auto slot) { slot.template initAs<capnp::List<bool>>(4); }),
                      "bit list");
}

TEST(Malformed, DataListWhereListOfListsIsExpected) {
  expect_decode_error(everything_with_pointer(8, [](auto slot) { slot.template initAs<capnp::List<std::uint32_t>>(2); }),
                      "list of pointers");
}

TEST(Malformed, ListWhereOptionalScalarBoxIsExpected) {
  expect_decode_error(everything_with_pointer(12, [](auto slot) { slot.template initAs<capnp::List<std::int32_t>>(1); }),
                      "struct");
}

TEST(Malformed, NestingDeeperThanTheLimit) {
  Node deep{.value = 0};
  for (int i = 1; i < 100; ++i) deep = Node{.value = i, .next = std::move(deep)};
  const auto flat = encode(deep);
  EXPECT_THROW(decode_segment<Node>(segment_of(flat)), idlrpc::wire::DecodeError);  // default limit: 64
  capnp::ReaderOptions generous;
  generous.nestingLimit = 200;
  EXPECT_EQ(decode_segment<Node>(segment_of(flat), generous), deep);
}

TEST(Malformed, TraversalLimitExceeded) {
  const auto flat = encode(sample_everything());
  capnp::ReaderOptions tight;
  tight.traversalLimitInWords = 16;
  EXPECT_THROW(decode_segment<interop::Everything>(segment_of(flat), tight), idlrpc::wire::DecodeError);
}

TEST(Malformed, HugeListOfEmptyStructsHitsTheTraversalLimit) {
  // 2^28 zero-sized elements take one tag word on the wire; capnp counts
  // each as a word read, so this fails before idlrpc allocates 2^28 values.
  expect_decode_error(everything_with_pointer(5, [](auto slot) { slot.initAsListOfAnyStruct(0, 0, 1u << 28); }),
                      "limit");
}

TEST(Malformed, PointerOutOfBounds) {
  const capnp::word words[] = {capnp::word{}};
  auto* root = reinterpret_cast<std::uint32_t*>(const_cast<capnp::word*>(words));
  root[0] = (1000u << 2);  // struct pointer, offset 1000 words: past the segment
  root[1] = 1u | (1u << 16);
  EXPECT_THROW(decode_segment<interop::Everything>(kj::arrayPtr(words, 1)), idlrpc::wire::DecodeError);
}

// Every truncation and many random corruptions of a valid message either
// decode or raise DecodeError; anything else (a crash, another exception)
// fails the test (and the sanitizer build).
TEST(Malformed, TruncatedAndCorruptedMessagesNeverCrash) {
  const auto flat = encode(sample_everything());
  const auto segment = segment_of(flat);
  std::size_t errors = 0;
  // (An empty segment has no root pointer: capnp's getRoot refuses it before decode runs.)
  for (std::size_t size = 1; size < segment.size(); ++size) {
    try {
      decode_segment<interop::Everything>(segment.slice(0, size));
    } catch (const idlrpc::wire::DecodeError&) {
      ++errors;
    }
  }
  EXPECT_GT(errors, segment.size() / 2);

  std::mt19937 random(12345);
  kj::Array<capnp::word> copy = kj::heapArray<capnp::word>(segment);
  auto bytes = copy.asBytes();
  for (int round = 0; round < 2000; ++round) {
    std::copy(segment.asBytes().begin(), segment.asBytes().end(), bytes.begin());
    for (int flips = 0; flips < 4; ++flips) bytes[random() % bytes.size()] = static_cast<kj::byte>(random());
    try {
      decode_segment<interop::Everything>(copy);
    } catch (const idlrpc::wire::DecodeError&) {
    }
  }
}

}  // namespace
