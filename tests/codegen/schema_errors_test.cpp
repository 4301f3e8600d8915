// Names idlc must invent for the Cap'n Proto schema (map Entry structs,
// Optional<T> boxes) or derive from IDL names (camelCase) can collide with
// declared ones; idlc then refuses with a message naming both.
#include <gtest/gtest.h>

#include <stdexcept>

#include "backend/generate.hpp"
#include "model_builder.hpp"

namespace {

using namespace codegen_test;
using idlc::model::Scalar;

std::string schema_error(const idlc::model::Program& program) {
  idlc::backend::GenerateOptions options;
  options.emit_capnp = true;
  try {
    idlc::backend::generate(program, *program.files.back(), options);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(SchemaErrors, MapEntryCollidesWithNestedMessage) {
  idlc::model::Program program;
  auto& file = add_file(program, "a.idl", {"pkg"});
  auto& message = add_message(file, "Team");
  add_message(file, "ScoresEntry", &message);
  add_field(message, "scores", 1, map_of(scalar(Scalar::String), scalar(Scalar::Int32)));
  const std::string error = schema_error(program);
  EXPECT_NE(error.find("ScoresEntry"), std::string::npos) << error;
  EXPECT_NE(error.find("message pkg.Team"), std::string::npos) << error;
}

TEST(SchemaErrors, OptionalBoxCollidesWithTopLevelMessage) {
  idlc::model::Program program;
  auto& file = add_file(program, "a.idl", {"pkg"});
  add_message(file, "OptionalInt32");
  auto& message = add_message(file, "Team");
  add_field(message, "wins", 1, scalar(Scalar::Int32), true);
  const std::string error = schema_error(program);
  EXPECT_NE(error.find("OptionalInt32"), std::string::npos) << error;
  EXPECT_NE(error.find("file a.idl"), std::string::npos) << error;
}

TEST(SchemaErrors, FieldsThatMapToTheSameCamelCaseName) {
  idlc::model::Program program;
  auto& file = add_file(program, "a.idl", {});
  auto& message = add_message(file, "Team");
  add_field(message, "home_city", 1, scalar(Scalar::String));
  add_field(message, "homeCity", 2, scalar(Scalar::String));
  const std::string error = schema_error(program);
  EXPECT_NE(error.find("homeCity"), std::string::npos) << error;
}

TEST(SchemaErrors, ReferenceShadowedByANestedName) {
  // message Point {}   message Map { message Point {} ; Point here = 1 (the top-level one) }
  idlc::model::Program program;
  auto& file = add_file(program, "a.idl", {});
  auto& point = add_message(file, "Point");
  auto& map = add_message(file, "Map");
  add_message(file, "Point", &map);
  add_field(map, "here", 1, message_type(point));
  const std::string error = schema_error(program);
  EXPECT_NE(error.find("Point"), std::string::npos) << error;
  EXPECT_NE(error.find("nested in message Map"), std::string::npos) << error;
}

TEST(SchemaErrors, WithoutEmitCapnpTheCppStillGenerates) {
  idlc::model::Program program;
  auto& file = add_file(program, "a.idl", {});
  auto& message = add_message(file, "Team");
  add_field(message, "home_city", 1, scalar(Scalar::String));
  add_field(message, "homeCity", 2, scalar(Scalar::String));
  EXPECT_EQ(idlc::backend::generate(program, file, {}).size(), 2u);
}

}  // namespace
