#include "idlrpc/status.hpp"

#include <gtest/gtest.h>

namespace idlrpc {
namespace {

TEST(StatusCode, NamesMatchTheCanonicalSet) {
  EXPECT_EQ(to_string(StatusCode::OK), "OK");
  EXPECT_EQ(to_string(StatusCode::DEADLINE_EXCEEDED), "DEADLINE_EXCEEDED");
  EXPECT_EQ(to_string(StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(static_cast<int>(kLastStatusCode), 16);
}

TEST(StatusCode, OutOfRangeReadsAsUnknown) {
  EXPECT_EQ(to_string(static_cast<StatusCode>(99)), "UNKNOWN");
}

}  // namespace
}  // namespace idlrpc
