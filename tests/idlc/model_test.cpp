// The model the front end hands the back end: resolved types, scopes,
// imports, relative paths, doc comments and locations.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "frontend/frontend.hpp"

namespace {

using idlc::model::Scalar;
using Kind = idlc::model::Type::Kind;
namespace fs = std::filesystem;

std::string corpus(const std::string& path) {
  std::ifstream in(fs::path(IDLC_TESTS_DIR) / "corpus" / path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compiles in-memory files; fails the test on any diagnostic.
struct Compiled {
  std::unique_ptr<idlc::model::Program> program;
  std::vector<std::string> files_read;
  std::string diagnostics;
};

Compiled compile(const idlc::frontend::MemoryReader& reader, const std::vector<std::string>& roots,
                 const std::vector<fs::path>& import_dirs = {}) {
  std::ostringstream output;
  idlc::frontend::Diagnostics diagnostics(output);
  auto result = idlc::frontend::compile(roots, {.import_dirs = import_dirs}, diagnostics, reader);
  return {std::move(result.program), std::move(result.files_read), output.str()};
}

const idlc::model::Message& message(const std::vector<std::unique_ptr<idlc::model::Message>>& messages,
                                    const std::string& name) {
  for (const auto& candidate : messages) {
    if (candidate->name == name) return *candidate;
  }
  throw std::runtime_error("no message " + name);
}

const idlc::model::Field& field(const idlc::model::Message& message, const std::string& name) {
  for (const auto& candidate : message.fields) {
    if (candidate.name == name) return candidate;
  }
  throw std::runtime_error("no field " + name);
}

class TeamsExample : public testing::Test {
 protected:
  void SetUp() override {
    idlc::frontend::MemoryReader reader;
    reader.add("teams.idl", corpus("valid/teams.idl"));
    reader.add("common/geo.idl", corpus("valid/common/geo.idl"));
    compiled_ = compile(reader, {"teams.idl"});
    ASSERT_EQ(compiled_.diagnostics, "");
    ASSERT_NE(compiled_.program, nullptr);
    program_ = compiled_.program.get();
    ASSERT_EQ(program_->files.size(), 2u);
    geo_ = program_->files[0].get();
    teams_ = program_->files[1].get();
  }

  Compiled compiled_;
  const idlc::model::Program* program_ = nullptr;
  const idlc::model::File* geo_ = nullptr;
  const idlc::model::File* teams_ = nullptr;
};

TEST_F(TeamsExample, FilesComeImportsFirstWithTheirPaths) {
  EXPECT_EQ(geo_->path, "common/geo.idl");
  EXPECT_EQ(geo_->relative_path, "common/geo.idl");
  EXPECT_EQ(teams_->path, "teams.idl");
  EXPECT_EQ(teams_->relative_path, "teams.idl");
  ASSERT_EQ(program_->roots.size(), 1u);
  EXPECT_EQ(program_->roots[0], teams_);
  EXPECT_EQ(teams_->imports, std::vector<const idlc::model::File*>{geo_});
  EXPECT_EQ(teams_->package, (std::vector<std::string>{"sports", "teams"}));
  EXPECT_EQ(geo_->package, std::vector<std::string>{"geo"});
  EXPECT_EQ(compiled_.files_read, (std::vector<std::string>{"teams.idl", "common/geo.idl"}));
}

TEST_F(TeamsExample, DeclarationsKeepSourceOrderAndFullNames) {
  ASSERT_EQ(teams_->messages.size(), 3u);
  EXPECT_EQ(teams_->messages[0]->full_name, "sports.teams.TeamRequest");
  EXPECT_EQ(teams_->messages[1]->full_name, "sports.teams.TeamResponse");
  EXPECT_EQ(teams_->messages[2]->full_name, "sports.teams.DivisionRequest");
  ASSERT_EQ(teams_->enums.size(), 1u);
  const idlc::model::Enum& division = *teams_->enums[0];
  EXPECT_EQ(division.full_name, "sports.teams.Division");
  ASSERT_EQ(division.values.size(), 2u);
  EXPECT_EQ(division.values[1].name, "SOUTH");
  EXPECT_EQ(division.values[1].value, 1);
  for (const auto& decl : teams_->messages) EXPECT_EQ(decl->file, teams_);
}

TEST_F(TeamsExample, FieldTypesAreResolved) {
  const idlc::model::Message& response = message(teams_->messages, "TeamResponse");
  ASSERT_EQ(response.fields.size(), 8u);

  const auto& founded = field(response, "founded");
  EXPECT_TRUE(founded.optional);
  EXPECT_EQ(founded.number, 3u);
  EXPECT_EQ(founded.type.kind, Kind::Scalar);
  EXPECT_EQ(founded.type.scalar, Scalar::UInt32);

  const auto& players = field(response, "players");
  EXPECT_FALSE(players.optional);
  ASSERT_EQ(players.type.kind, Kind::List);
  ASSERT_EQ(players.type.params.size(), 1u);
  EXPECT_EQ(players.type.params[0].scalar, Scalar::String);

  const auto& scores = field(response, "scores");
  ASSERT_EQ(scores.type.kind, Kind::Map);
  ASSERT_EQ(scores.type.params.size(), 2u);
  EXPECT_EQ(scores.type.params[0].scalar, Scalar::String);
  EXPECT_EQ(scores.type.params[1].scalar, Scalar::Int64);

  const auto& division = field(response, "division");
  ASSERT_EQ(division.type.kind, Kind::Enum);
  EXPECT_EQ(division.type.enumeration, teams_->enums[0].get());

  const auto& home = field(response, "home");
  ASSERT_EQ(home.type.kind, Kind::Message);
  EXPECT_EQ(home.type.message, geo_->messages[0].get());
  EXPECT_EQ(home.type.message->full_name, "geo.Point");

  EXPECT_EQ(response.reserved, (std::vector<std::uint32_t>{8, 9}));
  // `reserved int32 8; reserved string 9;`: typed, so their slots stay.
  ASSERT_EQ(response.reserved_fields.size(), 2u);
  EXPECT_EQ(response.reserved_fields[0].number, 8u);
  EXPECT_EQ(response.reserved_fields[0].type.kind, Kind::Scalar);
  EXPECT_EQ(response.reserved_fields[0].type.scalar, Scalar::Int32);
  EXPECT_EQ(response.reserved_fields[1].number, 9u);
  EXPECT_EQ(response.reserved_fields[1].type.scalar, Scalar::String);
  EXPECT_TRUE(response.reserved_fields[0].name.empty());
}

TEST_F(TeamsExample, NestedTypesKnowTheirParent) {
  const idlc::model::Message& response = message(teams_->messages, "TeamResponse");
  ASSERT_EQ(response.messages.size(), 1u);
  const idlc::model::Message& stats = *response.messages[0];
  EXPECT_EQ(stats.name, "Stats");
  EXPECT_EQ(stats.full_name, "sports.teams.TeamResponse.Stats");
  EXPECT_EQ(stats.parent, &response);
  EXPECT_EQ(stats.file, teams_);
  const auto& stats_field = field(response, "stats");
  ASSERT_EQ(stats_field.type.kind, Kind::Message);
  EXPECT_EQ(stats_field.type.message, &stats);
  EXPECT_EQ(stats_field.number, 10u);
}

TEST_F(TeamsExample, ServiceMethodsKeepStreamingAndTypes) {
  ASSERT_EQ(teams_->services.size(), 1u);
  const idlc::model::Service& service = teams_->services[0];
  EXPECT_EQ(service.full_name, "sports.teams.Teams");
  ASSERT_EQ(service.methods.size(), 4u);
  const auto& request = message(teams_->messages, "TeamRequest");
  const auto& response = message(teams_->messages, "TeamResponse");
  struct Expected {
    const char* name;
    bool client_streaming;
    bool server_streaming;
  };
  const Expected expected[] = {
      {"GetTeam", false, false}, {"ListTeams", false, true}, {"Register", true, false}, {"Chat", true, true}};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(service.methods[i].name, expected[i].name);
    EXPECT_EQ(service.methods[i].client_streaming, expected[i].client_streaming) << expected[i].name;
    EXPECT_EQ(service.methods[i].server_streaming, expected[i].server_streaming) << expected[i].name;
    EXPECT_EQ(service.methods[i].response, &response);
  }
  EXPECT_EQ(service.methods[0].request, &request);
  EXPECT_EQ(service.methods[1].request, &message(teams_->messages, "DivisionRequest"));
}

TEST_F(TeamsExample, DocCommentsAndLocations) {
  const auto& request = message(teams_->messages, "TeamRequest");
  EXPECT_EQ(request.doc, "The request carries a city name.   (/// doc comments reach the generated code)");
  EXPECT_EQ(request.location.file, "teams.idl");
  EXPECT_EQ(request.location.line, 6u);
  EXPECT_EQ(request.location.column, 9u);
  EXPECT_EQ(teams_->services[0].methods[0].doc, "Returns the city and nickname of a team.");
  EXPECT_EQ(teams_->services[0].methods[1].doc, "");
  EXPECT_EQ(geo_->messages[0]->doc, "A point on Earth, in degrees.");
  const auto& city = field(request, "city");
  EXPECT_EQ(city.location.line, 7u);
  EXPECT_EQ(city.location.column, 10u);
}

TEST(Model, DocCommentsAttachToTheNextDeclarationOnly) {
  idlc::frontend::MemoryReader reader;
  reader.add("docs.idl", corpus("valid/doc_comments.idl"));
  Compiled compiled = compile(reader, {"docs.idl"});
  ASSERT_EQ(compiled.diagnostics, "");
  const idlc::model::File& file = *compiled.program->files[0];
  const idlc::model::Message& documented = *file.messages[0];
  EXPECT_EQ(documented.doc, "A message with documentation.\nOver two lines.");
  EXPECT_EQ(documented.fields[0].doc, "A field.");
  EXPECT_EQ(documented.fields[1].doc, "") << "'////' and trailing comments are not documentation";
  EXPECT_EQ(documented.enums[0]->doc, "A nested enum.");
  EXPECT_EQ(documented.enums[0]->values[0].doc, "The first mode.");
  EXPECT_EQ(file.services[0].doc, "A service.");
  EXPECT_EQ(file.services[0].methods[0].doc, "A method.");
}

TEST(Model, RpcOptionsSetTheIdempotencyLevel) {
  idlc::frontend::MemoryReader reader;
  reader.add("rpc_options.idl", corpus("valid/rpc_options.idl"));
  Compiled compiled = compile(reader, {"rpc_options.idl"});
  ASSERT_EQ(compiled.diagnostics, "");
  const auto& methods = compiled.program->files[0]->services[0].methods;
  ASSERT_EQ(methods.size(), 5u);
  using idlc::model::Idempotency;
  EXPECT_EQ(methods[0].idempotency, Idempotency::kUnknown) << "Plain";
  EXPECT_EQ(methods[1].idempotency, Idempotency::kUnknown) << "Braces";
  EXPECT_EQ(methods[2].idempotency, Idempotency::kNoSideEffects) << "Read";
  EXPECT_EQ(methods[3].idempotency, Idempotency::kIdempotent) << "Put";
  EXPECT_EQ(methods[4].idempotency, Idempotency::kUnknown) << "Maybe";
  EXPECT_TRUE(methods[4].server_streaming);
}

TEST(Model, NamesResolveFromTheInnermostScope) {
  idlc::frontend::MemoryReader reader;
  reader.add("scopes.idl", corpus("valid/scopes.idl"));
  Compiled compiled = compile(reader, {"scopes.idl"});
  ASSERT_EQ(compiled.diagnostics, "");
  const idlc::model::File& file = *compiled.program->files[0];
  const idlc::model::Message& top_shared = message(file.messages, "Shared");
  const idlc::model::Message& a = message(file.messages, "A");
  const idlc::model::Message& a_shared = message(a.messages, "Shared");
  const idlc::model::Message& b = message(a.messages, "B");
  EXPECT_EQ(field(a, "nearest").type.message, &a_shared);
  EXPECT_EQ(field(a, "top").type.message, &top_shared);
  EXPECT_EQ(field(a, "also_top").type.message, &top_shared);
  EXPECT_EQ(field(a, "qualified").type.message, &a_shared);
  EXPECT_EQ(field(b, "from_a").type.message, &a_shared);
  EXPECT_EQ(field(a, "kind").type.enumeration, b.enums[0].get());
  EXPECT_EQ(file.services[0].methods[0].request, &b);
  EXPECT_EQ(file.services[0].methods[0].response, &message(file.messages, "C"));
}

TEST(Model, RelativePathsFollowWhereTheImportWasFound) {
  idlc::frontend::MemoryReader reader;
  reader.add("proto/app/main.idl", "import \"beside.idl\";\nimport \"lib/shared.idl\";\n"
                                   "message M { B b = 1; S s = 2; }\n");
  reader.add("proto/app/beside.idl", "message B {}\n");
  reader.add("include/lib/shared.idl", "message S {}\n");
  Compiled compiled = compile(reader, {"proto/x/../app/main.idl"}, {"include"});
  ASSERT_EQ(compiled.diagnostics, "");
  const auto& files = compiled.program->files;
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0]->relative_path, "proto/app/beside.idl");
  EXPECT_EQ(files[0]->path, "proto/app/beside.idl");
  EXPECT_EQ(files[1]->relative_path, "lib/shared.idl") << "found in an -I folder: the import string";
  EXPECT_EQ(files[1]->path, "include/lib/shared.idl");
  EXPECT_EQ(files[2]->relative_path, "proto/app/main.idl");
}

TEST(Model, SharedImportsAreReadOnceBeforeEveryImporter) {
  idlc::frontend::MemoryReader reader;
  reader.add("base.idl", "message Base {}\n");
  reader.add("left.idl", "import \"base.idl\";\nmessage Left { Base base = 1; }\n");
  reader.add("right.idl", "import \"base.idl\";\nmessage Right { Base base = 1; }\n");
  reader.add("top.idl", "import \"left.idl\";\nimport \"right.idl\";\nmessage Top { Left l = 1; Right r = 2; }\n");
  Compiled compiled = compile(reader, {"top.idl", "left.idl"});
  ASSERT_EQ(compiled.diagnostics, "");
  std::vector<std::string> order;
  for (const auto& file : compiled.program->files) order.push_back(file->path);
  EXPECT_EQ(order, (std::vector<std::string>{"base.idl", "left.idl", "right.idl", "top.idl"}));
  ASSERT_EQ(compiled.program->roots.size(), 2u);
  EXPECT_EQ(compiled.program->roots[0]->path, "top.idl");
  EXPECT_EQ(compiled.program->roots[1]->path, "left.idl");
}

TEST(Model, EmptyFileIsAnEmptyProgram) {
  idlc::frontend::MemoryReader reader;
  reader.add("empty.idl", "");
  Compiled compiled = compile(reader, {"empty.idl"});
  ASSERT_EQ(compiled.diagnostics, "");
  ASSERT_EQ(compiled.program->files.size(), 1u);
  const idlc::model::File& file = *compiled.program->files[0];
  EXPECT_TRUE(file.package.empty());
  EXPECT_TRUE(file.messages.empty());
  EXPECT_TRUE(file.enums.empty());
  EXPECT_TRUE(file.services.empty());
}

TEST(Model, AbsoluteRootKeepsOnlyItsFileName) {
  fs::path dir = fs::temp_directory_path() / "idlc_model_test_absolute";
  fs::create_directories(dir);
  std::ofstream(dir / "abs.idl") << "message A {}\n";
  std::ostringstream output;
  idlc::frontend::Diagnostics diagnostics(output);
  auto result = idlc::frontend::compile({(dir / "abs.idl").string()}, {}, diagnostics);
  ASSERT_NE(result.program, nullptr) << output.str();
  EXPECT_EQ(result.program->files[0]->relative_path, "abs.idl");
  fs::remove_all(dir);
}

}  // namespace
