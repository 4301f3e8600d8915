// Issue 15: a `bytes` field converts from and to std::string /
// std::string_view, and idlrpc::to_bytes / from_bytes turn a message into
// bytes and back, refusing malformed input with DecodeError (never UB: the
// sanitizer build runs these too). The comparison with capnp's own bytes
// is in interop_test.cpp.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sample_everything.hpp"

namespace {

using codegen_test::sample_everything;

static_assert(std::is_same_v<decltype(interop::Everything{}.blob), idlrpc::Bytes>);
static_assert(std::is_same_v<decltype(interop::Everything{}.blobs), std::vector<idlrpc::Bytes>>);
static_assert(std::is_same_v<decltype(interop::Everything{}.maybe_bytes), std::optional<idlrpc::Bytes>>);

TEST(Bytes, ConvertFromStrings) {
  const std::string text("a\0b", 3);  // an embedded NUL is kept
  const std::string_view view = "view";
  interop::Everything value{.blob = "literal", .blobs = {text, view, {0x01, 0x02}}, .maybe_bytes = "set"};
  EXPECT_EQ(value.blob, "literal");
  EXPECT_EQ(value.blobs[0].size(), 3u);
  EXPECT_EQ(value.blobs[0], text);
  EXPECT_EQ(value.blobs[1], view);
  EXPECT_EQ(value.blobs[2], (std::vector<std::uint8_t>{0x01, 0x02}));
  EXPECT_EQ(*value.maybe_bytes, "set");
  value.blob = text;
  EXPECT_EQ(value.blob, text);
  value.blob = view;
  EXPECT_EQ(value.blob, "view");
  value.blob = std::vector<std::uint8_t>{0xff};
  EXPECT_EQ(value.blob, idlrpc::Bytes{0xff});
  EXPECT_NE(value.blob, "view");
}

TEST(Bytes, ConvertToStrings) {
  const interop::Everything value{.blob = std::string("\xff\x00z", 3)};
  const std::string_view view = value.blob;  // no copy
  EXPECT_EQ(view.data(), reinterpret_cast<const char*>(value.blob.data()));
  EXPECT_EQ(view, std::string_view("\xff\x00z", 3));
  EXPECT_EQ(value.blob.view(), view);
  EXPECT_EQ(value.blob.str(), std::string("\xff\x00z", 3));
  EXPECT_EQ(std::string(value.blob), value.blob.str());
  // Still a byte vector.
  const std::vector<std::uint8_t>& bytes = value.blob;
  EXPECT_EQ(bytes, (std::vector<std::uint8_t>{0xff, 0x00, 'z'}));
}

TEST(Bytes, TextRoundTripsThroughTheWireLayerUnchanged) {
  std::string every_byte;
  for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<char>(i));
  const interop::Everything value{.blob = every_byte, .blobs = {"", std::string(1, '\0')}};
  const auto decoded = idlrpc::from_bytes<interop::Everything>(idlrpc::to_bytes(value));
  EXPECT_EQ(decoded.blob.str(), every_byte);
  ASSERT_EQ(decoded.blobs.size(), 2u);
  EXPECT_EQ(decoded.blobs[0], "");
  EXPECT_EQ(decoded.blobs[1], std::string_view("\0", 1));
}

TEST(Bytes, DebugFormIsHex) {
  EXPECT_NE(idlrpc::to_string(interop::Everything{.blob = "AZ"}).find("blob: 0x\"415a\""), std::string::npos);
}

TEST(ToBytes, RoundTripsEveryType) {
  const idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(bytes), sample_everything());
  // The other input forms: a span of std::byte, characters.
  const std::string chars = bytes.str();
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(std::string_view(chars)), sample_everything());
  const std::span<const std::byte> raw(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size());
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(raw), sample_everything());
}

TEST(ToBytes, FramingIsOneSegmentWithItsTable) {
  const idlrpc::Bytes bytes = idlrpc::to_bytes(interop::Everything::Inner{.name = "n"});
  ASSERT_GE(bytes.size(), 16u);
  std::uint32_t segments_minus_one = 0, words = 0;
  std::memcpy(&segments_minus_one, bytes.data(), 4);
  std::memcpy(&words, bytes.data() + 4, 4);
  EXPECT_EQ(segments_minus_one, 0u);
  EXPECT_EQ(bytes.size(), 8 + std::size_t{words} * 8);
}

TEST(ToBytes, ReadsAtAnyAlignment) {
  const idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  std::vector<std::uint8_t> shifted(bytes.size() + 1);
  std::memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  const std::span<const std::uint8_t> odd(shifted.data() + 1, bytes.size());
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(odd), sample_everything());
}

// The error text for `input`, or "" when it decodes.
std::string error_of(std::span<const std::uint8_t> input) {
  try {
    idlrpc::from_bytes<interop::Everything>(input);
  } catch (const idlrpc::wire::DecodeError& e) {
    return e.what();
  }
  return "";
}

TEST(FromBytes, RefusesInputThatIsNotWholeWords) {
  EXPECT_EQ(error_of({}),
            "interop.Everything: 0 bytes cannot be a Cap'n Proto message: it is a whole number of 8-byte words, at "
            "least one");
  const idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  EXPECT_EQ(error_of(std::span(bytes).first(13)),
            "interop.Everything: 13 bytes cannot be a Cap'n Proto message: it is a whole number of 8-byte words, at "
            "least one");
}

TEST(FromBytes, RefusesATruncatedMessage) {
  const idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  EXPECT_EQ(error_of(std::span(bytes).first(bytes.size() - 8)),
            "interop.Everything: the segment table announces " + std::to_string(bytes.size()) +
                " bytes but the input has " + std::to_string(bytes.size() - 8) + ": truncated");
}

TEST(FromBytes, RefusesBytesAfterTheMessage) {
  idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  const std::size_t size = bytes.size();
  bytes.resize(size + 8);
  EXPECT_EQ(error_of(bytes), "interop.Everything: the segment table announces " + std::to_string(size) +
                                 " bytes but the input has " + std::to_string(size + 8) + ": bytes after the message");
}

TEST(FromBytes, RefusesABadSegmentTable) {
  std::vector<std::uint8_t> bytes(16, 0);
  bytes[0] = 0xff;  // 256 segments claimed, 16 bytes given
  EXPECT_EQ(error_of(bytes),
            "interop.Everything: the segment table (1032 bytes) is longer than the input (16 bytes): truncated");
  bytes[1] = 0xff;  // 65536 segments
  EXPECT_EQ(error_of(bytes), "interop.Everything: the message claims 65536 segments; the limit is 512");
  std::vector<std::uint8_t> huge = {0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};  // one segment of 2^32-1 words
  EXPECT_EQ(error_of(huge), "interop.Everything: the segment table announces 34359738368 bytes but the input has 8: "
                            "truncated");
}

TEST(FromBytes, RefusesAMalformedStruct) {
  // One segment of one word: a root pointer that is a list, not a struct.
  const std::vector<std::uint8_t> list_root = {0, 0, 0, 0, 1, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0};
  EXPECT_EQ(error_of(list_root), "interop.Everything: the message's root is not a struct");
  // A struct whose first pointer (the text field) points far past the segment.
  const std::vector<std::uint8_t> out_of_bounds = {
      0, 0, 0, 0, 2, 0, 0, 0,                  // one segment of two words
      0, 0, 0, 0, 0, 0, 1, 0,                  // root: a struct right after, no data, one pointer
      0xfd, 0xff, 0xff, 0x7f, 0x42, 0, 0, 0};  // that pointer: 8 bytes, 2^29 words away
  EXPECT_EQ(error_of(out_of_bounds).rfind("interop.Everything: ", 0), 0u) << error_of(out_of_bounds);
}

TEST(FromBytes, AnEmptyRootIsTheDefaultMessage) {
  const std::vector<std::uint8_t> null_root = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(idlrpc::from_bytes<interop::Everything>(null_root), interop::Everything{});
}

// Every truncation and thousands of corruptions: DecodeError or a value,
// nothing else (the ASan build checks "never UB").
TEST(FromBytes, TruncatedAndGarbageInputNeverCrashes) {
  const idlrpc::Bytes bytes = idlrpc::to_bytes(sample_everything());
  for (std::size_t size = 0; size < bytes.size(); ++size) {
    EXPECT_NE(error_of(std::span(bytes).first(size)), "") << size;
  }
  std::mt19937 random(15);
  std::size_t refused = 0;
  for (int round = 0; round < 3000; ++round) {
    idlrpc::Bytes copy = bytes;
    // Keep the table half the time, so that corruption reaches the struct.
    for (int flips = 0; flips < 4; ++flips) {
      const std::size_t at = round % 2 == 0 ? 8 + random() % (copy.size() - 8) : random() % copy.size();
      copy[at] = static_cast<std::uint8_t>(random());
    }
    refused += error_of(copy).empty() ? 0 : 1;
  }
  for (int round = 0; round < 1000; ++round) {
    std::vector<std::uint8_t> garbage(8 * (random() % 64));
    for (auto& byte : garbage) byte = static_cast<std::uint8_t>(random());
    if (garbage.size() >= 8) garbage[1] = garbage[2] = garbage[3] = 0;  // a plausible segment count
    refused += error_of(garbage).empty() ? 0 : 1;
  }
  EXPECT_GT(refused, 1000u);
}

}  // namespace
