#include "fixtures.hpp"

#include "model_builder.hpp"

namespace codegen_test {

using model::Scalar;

std::unique_ptr<model::Program> everything_program() {
  auto program = std::make_unique<model::Program>();

  // package interop.geo;
  // enum Unit { METERS = 0; FEET = 1; }
  // message Point { double lat = 1; double lon = 2; string label = 3; }
  model::File& geo = add_file(*program, "common/geo.idl", {"interop", "geo"});
  model::Enum& unit = add_enum(geo, "Unit", {{"METERS", 0}, {"FEET", 1}});
  model::Message& point = add_message(geo, "Point", nullptr, " A place on Earth.");
  add_field(point, "lat", 1, scalar(Scalar::Float64));
  add_field(point, "lon", 2, scalar(Scalar::Float64));
  add_field(point, "label", 3, scalar(Scalar::String));

  // package interop; import "common/geo.idl";
  model::File& file = add_file(*program, "everything.idl", {"interop"}, {&geo});
  model::Enum& color = add_enum(file, "Color", {{"RED", 0}, {"GREEN", 1}, {"DEEP_BLUE", 5}}, nullptr,
                                " A color; 2..4 are not used.");
  color.values[1].doc = " The color of grass.";

  model::Message& everything = add_message(file, "Everything", nullptr, " Every type idlrpc supports.\n Two lines.");
  // message Inner { string name = 1; int32 value = 2; optional Inner child = 3; list<Inner> children = 4; }
  model::Message& inner = add_message(file, "Inner", &everything);
  add_field(inner, "name", 1, scalar(Scalar::String));
  add_field(inner, "value", 2, scalar(Scalar::Int32));
  add_field(inner, "child", 3, message_type(inner), true);
  add_field(inner, "children", 4, list_of(message_type(inner)));

  add_field(everything, "flag", 1, scalar(Scalar::Bool), false, " A bool, packed as one bit.");
  add_field(everything, "i8", 2, scalar(Scalar::Int8));
  add_field(everything, "i16", 3, scalar(Scalar::Int16));
  add_field(everything, "i32", 4, scalar(Scalar::Int32));
  add_field(everything, "i64", 5, scalar(Scalar::Int64));
  add_field(everything, "u8", 6, scalar(Scalar::UInt8));
  add_field(everything, "u16", 7, scalar(Scalar::UInt16));
  add_field(everything, "u32", 8, scalar(Scalar::UInt32));
  add_field(everything, "u64", 9, scalar(Scalar::UInt64));
  add_field(everything, "f32", 10, scalar(Scalar::Float32));
  add_field(everything, "f64", 11, scalar(Scalar::Float64));
  add_field(everything, "text", 12, scalar(Scalar::String));
  add_field(everything, "blob", 13, scalar(Scalar::Bytes));
  everything.reserved = {14, 15};
  add_field(everything, "color", 16, enum_type(color));
  add_field(everything, "ints", 17, list_of(scalar(Scalar::Int32)));
  add_field(everything, "bools", 18, list_of(scalar(Scalar::Bool)));
  add_field(everything, "names", 19, list_of(scalar(Scalar::String)));
  add_field(everything, "inners", 20, list_of(message_type(inner)));
  add_field(everything, "blobs", 21, list_of(scalar(Scalar::Bytes)));
  add_field(everything, "colors", 22, list_of(enum_type(color)));
  add_field(everything, "matrix", 23, list_of(list_of(scalar(Scalar::Int32))));
  add_field(everything, "doubles", 24, list_of(scalar(Scalar::Float64)));
  add_field(everything, "inner", 25, message_type(inner));
  add_field(everything, "where", 26, message_type(point));
  add_field(everything, "maybe_int", 27, scalar(Scalar::Int32), true);
  add_field(everything, "maybe_text", 28, scalar(Scalar::String), true);
  add_field(everything, "maybe_inner", 29, message_type(inner), true);
  add_field(everything, "maybe_color", 30, enum_type(color), true);
  add_field(everything, "maybe_flag", 31, scalar(Scalar::Bool), true);
  add_field(everything, "maybe_unit", 32, enum_type(unit), true);
  add_field(everything, "maybe_bytes", 33, scalar(Scalar::Bytes), true);
  add_field(everything, "scores", 34, map_of(scalar(Scalar::String), scalar(Scalar::Int32)));
  add_field(everything, "by_id", 35, map_of(scalar(Scalar::Int64), message_type(inner)));
  add_field(everything, "small", 36, map_of(scalar(Scalar::UInt8), scalar(Scalar::Bool)));
  add_field(everything, "nested_map", 37,
            map_of(scalar(Scalar::String), map_of(scalar(Scalar::String), scalar(Scalar::Float64))));
  add_field(everything, "list_of_maps", 38, list_of(map_of(scalar(Scalar::Int32), scalar(Scalar::String))));
  // 39 is neither used nor reserved: a gap.
  add_field(everything, "late", 40, scalar(Scalar::Float64), false, " Declared before `unit`, numbered after a gap.");
  add_field(everything, "unit", 41, enum_type(unit));
  add_field(everything, "tiny", 42, scalar(Scalar::UInt8));

  program->roots = {&file};
  return program;
}

std::unique_ptr<model::Program> recursive_program() {
  auto program = std::make_unique<model::Program>();
  model::File& file = add_file(*program, "recursive.idl", {});

  // message Node { int32 value = 1; Node next = 2; list<Node> children = 3;
  //                optional Node parent = 4; map<string, Node> named = 5; }
  model::Message& node = add_message(file, "Node");
  add_field(node, "value", 1, scalar(Scalar::Int32));
  add_field(node, "next", 2, message_type(node));
  add_field(node, "children", 3, list_of(message_type(node)));
  add_field(node, "parent", 4, message_type(node), true);
  add_field(node, "named", 5, map_of(scalar(Scalar::String), message_type(node)));

  // Declared before what it needs: message Forest { Tree best = 1; list<Tree> trees = 2; }
  // message Tree { Forest forest = 1; Leaf leaf = 2; }   message Leaf { string name = 1; ... }
  model::Message& forest = add_message(file, "Forest");
  model::Message& tree = add_message(file, "Tree");
  model::Message& leaf = add_message(file, "Leaf");
  add_field(forest, "best", 1, message_type(tree));
  add_field(forest, "trees", 2, list_of(message_type(tree)));
  add_field(tree, "forest", 1, message_type(forest));
  add_field(tree, "leaf", 2, message_type(leaf));
  add_field(leaf, "name", 1, scalar(Scalar::String));

  // message Empty {}   and, in Leaf:   optional Empty marker = 2;
  model::Message& empty = add_message(file, "Empty");
  add_field(leaf, "marker", 2, message_type(empty), true);

  // message Outer { Inner inner = 1; message Inner { optional Outer outer = 1; int64 rank = 2; } }
  model::Message& outer = add_message(file, "Outer");
  model::Message& outer_inner = add_message(file, "Inner", &outer);
  add_field(outer, "inner", 1, message_type(outer_inner));
  add_field(outer_inner, "outer", 1, message_type(outer), true);
  add_field(outer_inner, "rank", 2, scalar(Scalar::Int64));

  program->roots = {&file};
  return program;
}

std::unique_ptr<model::Program> teams_program() {
  auto program = std::make_unique<model::Program>();
  model::File& file = add_file(*program, "teams.idl", {"sports", "teams"});
  add_enum(file, "Division", {{"NORTH", 0}, {"SOUTH", 1}});

  model::Message& request = add_message(file, "TeamRequest", nullptr, " The request carries a city name.");
  add_field(request, "city", 1, scalar(Scalar::String));
  model::Message& division_request = add_message(file, "DivisionRequest");
  add_field(division_request, "division", 1, enum_type(*file.enums[0]));
  model::Message& response = add_message(file, "TeamResponse");
  model::Message& stats = add_message(file, "Stats", &response);
  add_field(stats, "wins", 1, scalar(Scalar::UInt32));
  add_field(stats, "losses", 2, scalar(Scalar::UInt32));
  add_field(response, "city", 1, scalar(Scalar::String));
  add_field(response, "nickname", 2, scalar(Scalar::String));
  add_field(response, "stats", 3, message_type(stats));

  model::Service service;
  service.name = "Teams";
  service.full_name = "sports.teams.Teams";
  service.doc = " Looks up teams.";
  service.methods.push_back({"GetTeam", &request, false, &response, false, model::Idempotency::kNoSideEffects,
                             " Returns the city and nickname of a team.", {}});
  service.methods.push_back(
      {"ListTeams", &division_request, false, &response, true, model::Idempotency::kIdempotent, {}, {}});
  service.methods.push_back({"Register", &request, true, &response, false, model::Idempotency::kUnknown, {}, {}});
  service.methods.push_back({"Chat", &request, true, &response, true, model::Idempotency::kUnknown, {}, {}});
  file.services.push_back(std::move(service));

  program->roots = {&file};
  return program;
}

std::vector<Fixture> all_fixtures() {
  std::vector<Fixture> fixtures;
  fixtures.push_back({"everything", everything_program()});
  fixtures.push_back({"recursive", recursive_program()});
  fixtures.push_back({"teams", teams_program()});
  return fixtures;
}

}  // namespace codegen_test
