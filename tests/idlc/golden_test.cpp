// Runs the front end on every .idl under corpus/ and compares its
// diagnostics, byte for byte, with the .expected file beside it. A file
// without .expected must compile cleanly. The compilation fails exactly
// when the expected text holds an error.
//
// Every file is compiled with `-I corpus/include`, from tests/idlc/, so
// the paths in the expected text are relative.
//
// To regenerate after an intended wording change, review the diff of:
//   IDLC_UPDATE_GOLDEN=1 ./idlc_frontend_tests --gtest_filter='Corpus*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "frontend/frontend.hpp"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  fs::path root = fs::path(IDLC_TESTS_DIR) / "corpus";
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".idl") files.push_back(fs::relative(entry.path(), IDLC_TESTS_DIR).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class Corpus : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { fs::current_path(IDLC_TESTS_DIR); }
};

TEST_P(Corpus, DiagnosticsMatchExpected) {
  const std::string& path = GetParam();
  std::ostringstream output;
  idlc::frontend::Diagnostics diagnostics(output);
  auto result = idlc::frontend::compile({path}, {.import_dirs = {"corpus/include"}}, diagnostics);

  fs::path expected_path = fs::path(path).replace_extension(".expected");
  if (std::getenv("IDLC_UPDATE_GOLDEN") != nullptr && !output.str().empty()) {
    std::ofstream(expected_path, std::ios::binary) << output.str();
  }
  std::string expected = fs::exists(expected_path) ? read_file(expected_path) : "";
  EXPECT_EQ(output.str(), expected);
  bool expects_errors = expected.find(": error: ") != std::string::npos ||
                        expected.find("idlc: error:") != std::string::npos;
  EXPECT_EQ(result.program == nullptr, expects_errors);
  if (path.starts_with("corpus/errors/")) {
    EXPECT_TRUE(expects_errors) << "a file under errors/ must fail";
  }
  if (path.starts_with("corpus/valid/")) {
    EXPECT_FALSE(expects_errors) << "a file under valid/ must compile";
  }
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).parent_path().filename().string() + "_" + fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Corpus, testing::ValuesIn(corpus_files()), test_name);

// Every message of diagnostic_kinds.def shows up in some .expected file,
// so a new check cannot land without a golden test.
TEST(CorpusCoverage, EveryDiagnosticHasAGoldenExample) {
  std::string all_expected;
  for (const std::string& idl : corpus_files()) {
    fs::path expected = fs::path(IDLC_TESTS_DIR) / fs::path(idl).replace_extension(".expected");
    if (fs::exists(expected)) all_expected += read_file(expected);
  }
  std::istringstream kinds(read_file(fs::path(IDLC_TESTS_DIR) / "../../idlc/frontend/diagnostic_kinds.def"));
  const std::regex entry(R"re(^IDLC_DIAGNOSTIC\((\w+), \w+, "(.*)"\)$)re");
  int checked = 0;
  for (std::string line; std::getline(kinds, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, entry)) continue;
    if (match[1] == "cannot_read_file") continue;  // no source to read: cli_test covers it
    // The fixed text before the first argument, unescaped.
    std::string text = match[2].str().substr(0, match[2].str().find('{'));
    for (std::size_t quote; (quote = text.find("\\\"")) != std::string::npos;) text.erase(quote, 1);
    EXPECT_NE(all_expected.find(text), std::string::npos) << match[1] << ": no .expected file shows \"" << text << '"';
    ++checked;
  }
  EXPECT_GT(checked, 40);
}

}  // namespace
