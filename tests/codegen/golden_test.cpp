// Pins the generated text for the corpus: any change to a template or to
// the back end shows up here as a diff to review. To accept a change:
//   cmake --build <build> --target update-golden     (or run codegen_tests
//   with IDLRPC_UPDATE_GOLDEN=1), then review and commit tests/codegen/golden.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "backend/generate.hpp"
#include "fixtures.hpp"

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Golden, GeneratedFilesMatchTheExpectedText) {
  const bool update = std::getenv("IDLRPC_UPDATE_GOLDEN") != nullptr;
  const std::filesystem::path golden_dir = CODEGEN_GOLDEN_DIR;
  std::size_t compared = 0;
  for (const auto& fixture : codegen_test::all_fixtures()) {
    for (const auto& file : fixture.program->files) {
      idlc::backend::GenerateOptions options;
      options.emit_capnp = true;
      for (const auto& output : idlc::backend::generate(*file, options)) {
        const auto expected_path = golden_dir / (output.relative_path.generic_string() + ".expected");
        if (update) {
          std::filesystem::create_directories(expected_path.parent_path());
          std::ofstream(expected_path, std::ios::binary) << output.contents;
          continue;
        }
        ASSERT_TRUE(std::filesystem::exists(expected_path))
            << expected_path << " is missing; run the update-golden target";
        EXPECT_EQ(output.contents, read_file(expected_path))
            << output.relative_path << " differs from " << expected_path
            << "; if the change is intended, run the update-golden target and review the diff";
        ++compared;
      }
    }
  }
  if (!update) {
    EXPECT_EQ(compared, 24u);  // 4 files: 4 headers, the .cpp, the .capnp
  }
}

TEST(Golden, OutputIsDeterministic) {
  // Two separately built models of the same IDL (different addresses) give the same bytes.
  const auto fixtures = codegen_test::all_fixtures();
  const auto rebuilt = codegen_test::all_fixtures();
  for (std::size_t f = 0; f < fixtures.size(); ++f) {
    idlc::backend::GenerateOptions options;
    options.emit_capnp = true;
    const auto first = idlc::backend::generate(*fixtures[f].program->roots.front(), options);
    const auto again = idlc::backend::generate(*rebuilt[f].program->roots.front(), options);
    ASSERT_EQ(first.size(), again.size());
    for (std::size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].contents, again[i].contents);
  }
}

TEST(Golden, TemplatesDirectoryOverridesTheBuiltInOnes) {
  const auto dir = std::filesystem::temp_directory_path() / "idlrpc_templates_override_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "header.mustache") << "// custom header for {{source_name}}\n";
  for (const char* part : {"messages", "blocking", "async"}) {
    std::ofstream(dir / (std::string("header_") + part + ".mustache")) << "// " << part << " of {{header_name}}\n";
  }
  std::ofstream(dir / "source.mustache") << "// custom source{{#messages}} {{name}}{{/messages}}\n";
  const auto program = codegen_test::teams_program();
  idlc::backend::GenerateOptions options;
  options.templates_dir = dir;
  const auto outputs = idlc::backend::generate(*program->roots.front(), options);
  ASSERT_EQ(outputs.size(), 5u);
  EXPECT_EQ(outputs[0].contents, "// custom header for teams.idl\n");
  EXPECT_EQ(outputs[1].relative_path, "teams.idl.messages.h");
  EXPECT_EQ(outputs[1].contents, "// messages of teams.idl.h\n");
  EXPECT_EQ(outputs[2].contents, "// blocking of teams.idl.h\n");
  EXPECT_EQ(outputs[3].contents, "// async of teams.idl.h\n");
  EXPECT_EQ(outputs[4].contents, "// custom source TeamRequest DivisionRequest TeamResponse_Stats TeamResponse\n");

  options.emit_capnp = true;  // no capnp.mustache in the directory
  EXPECT_THROW(idlc::backend::generate(*program->roots.front(), options), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
