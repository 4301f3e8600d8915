// Item 2 of issue 15: capnp's C++ for several emitted schemas, and idlc's
// own C++ for one of the files, in one translation unit. Without a package, every
// schema used to put its structs, and the OptionalInt32 box, in the global
// namespace, so this file did not compile. The schemas are compiled by
// `capnp compile -oc++` at build time (CMakeLists.txt).
#include <gtest/gtest.h>

#include <type_traits>

#include <capnp/message.h>

#include "first.capnp.h"
#include "other/second.capnp.h"
#include "second.capnp.h"
#include "second.idl.h"

namespace {

TEST(SchemaNamespace, PackagelessSchemasLiveInNamespacesOfTheirOwn) {
  static_assert(!std::is_same_v<idlrpc_capnp::file_first::Score, idlrpc_capnp::file_second::Score>);
  static_assert(!std::is_same_v<idlrpc_capnp::file_first::OptionalInt32, idlrpc_capnp::file_second::OptionalInt32>);
  static_assert(!std::is_same_v<idlrpc_capnp::file_second::Score, idlrpc_capnp::file_other_second::Score>);

  capnp::MallocMessageBuilder message;
  auto score = message.initRoot<idlrpc_capnp::file_second::Score>();
  score.initPoints().setValue(7);
  score.setPlayer("ana");
  EXPECT_EQ(score.asReader().getPoints().getValue(), 7);

  // idlc's own types stay where they were: the global namespace.
  ::Score ours{.points = 7, .player = "ana"};
  EXPECT_EQ(ours.points, 7);
}

}  // namespace
