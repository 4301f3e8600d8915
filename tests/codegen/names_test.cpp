// Name mapping from IDL to C++ and to the Cap'n Proto schema.
#include <gtest/gtest.h>

#include "backend/generate.hpp"
#include "backend/names.hpp"
#include "model_builder.hpp"

namespace {

using namespace idlc::backend;

TEST(Names, SchemaNamesAreCamelCase) {
  EXPECT_EQ(capnp_field_name("home_city"), "homeCity");
  EXPECT_EQ(capnp_field_name("id"), "id");
  EXPECT_EQ(capnp_field_name("already_camelCase"), "alreadyCamelCase");
  EXPECT_EQ(capnp_enumerant_name("NORTH"), "north");
  EXPECT_EQ(capnp_enumerant_name("DIVISION_NORTH_2"), "divisionNorth2");
  EXPECT_EQ(capnp_enumerant_name("mixedCase"), "mixedCase");
  EXPECT_EQ(capnp_type_name("team_info"), "TeamInfo");
  EXPECT_EQ(capnp_type_name("TeamInfo"), "TeamInfo");
}

TEST(Names, OutputPathsKeepTheFolder) {
  idlc::model::Program program;
  auto& file = codegen_test::add_file(program, "common/geo.idl", {"maps", "geo"});
  EXPECT_EQ(header_path(file), "common/geo.idl.h");
  EXPECT_EQ(source_path(file), "common/geo.idl.cpp");
  EXPECT_EQ(capnp_path(file), "common/geo.capnp");
  EXPECT_EQ(cpp_namespace(file), "maps::geo");
}

TEST(Names, NestedTypesAreFlattenedForCpp) {
  idlc::model::Program program;
  auto& file = codegen_test::add_file(program, "a.idl", {"pkg"});
  auto& outer = codegen_test::add_message(file, "Outer");
  auto& inner = codegen_test::add_message(file, "Inner", &outer);
  EXPECT_EQ(cpp_flat_name(inner), "Outer_Inner");
  EXPECT_EQ(cpp_qualified_name(inner), "::pkg::Outer_Inner");
  EXPECT_EQ(scoped_name(inner), "Outer.Inner");
}

TEST(Names, FileIdIsStableAndHasTheTopBitSet) {
  idlc::model::Program program;
  auto& a = codegen_test::add_file(program, "a.idl", {"pkg"});
  auto& b = codegen_test::add_file(program, "sub/a.idl", {"pkg"});
  EXPECT_EQ(capnp_file_id(a), 0x8000000000000000ull | capnp_file_id(a));
  EXPECT_NE(capnp_file_id(a), capnp_file_id(b));
  // Pinned: changing it would change the id of every emitted schema.
  auto& everything = codegen_test::add_file(program, "everything.idl", {"interop"});
  EXPECT_EQ(capnp_file_id(everything), 0x8a71308bb8248758ull);
}

}  // namespace

namespace {

TEST(Names, TypeShadowedInsideTheStructIsSpelledQualified) {
  // message Point {}   message Map { message Point {}  <top-level> Point here = 1;  Map.Point there = 2; }
  idlc::model::Program program;
  auto& file = codegen_test::add_file(program, "a.idl", {"geo"});
  auto& point = codegen_test::add_message(file, "Point");
  auto& map = codegen_test::add_message(file, "Map");
  auto& nested = codegen_test::add_message(file, "Point", &map);
  codegen_test::add_field(map, "here", 1, codegen_test::message_type(point));
  codegen_test::add_field(map, "there", 2, codegen_test::message_type(nested));
  const auto outputs = idlc::backend::generate(file, {});
  ASSERT_EQ(outputs.at(1).relative_path, "a.idl.messages.h");
  const std::string& header = outputs.at(1).contents;  // the messages header holds the structs
  EXPECT_NE(header.find("  ::geo::Point here{};"), std::string::npos) << header;
  EXPECT_NE(header.find("  Map_Point there{};"), std::string::npos) << header;
}

}  // namespace
