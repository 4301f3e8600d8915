#include "idlrpc/metadata.hpp"

#include <stdexcept>

#include <gtest/gtest.h>

namespace idlrpc {
namespace {

TEST(Metadata, KeysAreStoredLowercaseAndLookedUpIgnoringCase) {
  Metadata metadata;
  metadata.add("X-Request-Id", "42");
  EXPECT_EQ(metadata.begin()->first, "x-request-id");
  EXPECT_EQ(metadata.get("x-REQUEST-id"), "42");
  EXPECT_FALSE(metadata.get("x-other").has_value());
}

TEST(Metadata, KeepsRepeatedKeysInOrder) {
  Metadata metadata{{"k", "1"}, {"other", "x"}, {"k", "2"}};
  ASSERT_EQ(metadata.get_all("k").size(), 2u);
  EXPECT_EQ(metadata.get_all("k")[0], "1");
  EXPECT_EQ(metadata.get_all("k")[1], "2");
  EXPECT_EQ(metadata.size(), 3u);
}

TEST(Metadata, ValuesMayHoldAnyBytes) {
  const std::string binary("\0\xff\x01", 3);
  Metadata metadata;
  metadata.add("blob-bin", binary);
  EXPECT_EQ(metadata.get("blob-bin"), binary);
  EXPECT_TRUE(is_binary_key("blob-bin"));
  EXPECT_FALSE(is_binary_key("blob"));
}

TEST(Metadata, RejectsInvalidKeys) {
  Metadata metadata;
  EXPECT_THROW(metadata.add("", "v"), std::invalid_argument);
  EXPECT_THROW(metadata.add("has space", "v"), std::invalid_argument);
  EXPECT_THROW(metadata.add("colon:", "v"), std::invalid_argument);
  EXPECT_TRUE(metadata.empty());
}

}  // namespace
}  // namespace idlrpc
