// The idlc executable: exit codes (0 ok, 1 bad input, 2 bad usage), quiet
// success, --depfile. Runs the binary built by this tree (IDLC_EXECUTABLE).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

class Cli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("idlc cli " + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::current_path(IDLC_TESTS_DIR);
  }
  void TearDown() override { fs::remove_all(dir_); }

  RunResult run(const std::vector<std::string>& args) {
    std::string command = quote(IDLC_EXECUTABLE);
    for (const std::string& arg : args) command += ' ' + quote(arg);
    command += " >" + quote((dir_ / "stdout").string()) + " 2>" + quote((dir_ / "stderr").string());
    int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir_ / "stdout"), read_file(dir_ / "stderr")};
  }

  fs::path dir_;  // a scratch folder with a space in its name
};

TEST_F(Cli, ValidInputPrintsNothingAndSucceeds) {
  RunResult result = run({"--check", "corpus/valid/teams.idl"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "");
}

TEST_F(Cli, SeveralFilesAndImportDirs) {
  RunResult result = run({"--check", "-I", "corpus/include", "corpus/valid/uses_include_dir.idl", "corpus/valid/all_types.idl"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
}

TEST_F(Cli, ErrorsInTheInputExitWithOne) {
  RunResult result = run({"--check", "corpus/errors/many_errors.idl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, read_file("corpus/errors/many_errors.expected"));
}

TEST_F(Cli, WarningsAloneDoNotFail) {
  RunResult result = run({"--check", "corpus/warnings/unused_import.idl"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.err.find("warning: unused import"), std::string::npos);
}

TEST_F(Cli, MissingFileExitsWithOne) {
  RunResult result = run({"--check", "no/such/file.idl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "idlc: error: cannot read 'no/such/file.idl': No such file or directory\n");
}

TEST_F(Cli, BadUsageExitsWithTwo) {
  EXPECT_EQ(run({}).exit_code, 2) << "no input file";
  EXPECT_EQ(run({"--no-such-option", "corpus/valid/teams.idl"}).exit_code, 2);
  EXPECT_EQ(run({"corpus/valid/teams.idl", "-I"}).exit_code, 2) << "-I without a folder";
  RunResult result = run({"--check", "--depfile"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err, "");
}

TEST_F(Cli, VersionAndHelp) {
  RunResult version = run({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("idlc ", 0), 0u) << version.out;
  RunResult help = run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"-I", "-o", "--check", "--depfile", "--emit-capnp", "--templates", "--version"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
}

TEST_F(Cli, DepfileListsEveryInputWithEscapedPaths) {
  fs::path depfile = dir_ / "out.d";
  RunResult result = run({"--check", "--depfile", depfile.string(), "corpus/valid/teams.idl"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::string text = read_file(depfile);
  auto escaped = [](std::string path) {
    std::string out;
    for (char c : path) {
      if (c == ' ') out += '\\';
      out += c;
    }
    return out;
  };
  fs::path tests = fs::current_path();
  // With --check there are no outputs: the depfile is its own target.
  EXPECT_EQ(text.rfind(escaped(depfile.string()) + ":", 0), 0u) << text;
  EXPECT_NE(text.find(escaped((tests / "corpus/valid/teams.idl").string())), std::string::npos) << text;
  EXPECT_NE(text.find(escaped((tests / "corpus/valid/common/geo.idl").string())), std::string::npos) << text;
  EXPECT_NE(text.find("idlc\\ cli\\ "), std::string::npos) << "spaces are escaped: " << text;
}

TEST_F(Cli, NothingIsWrittenWhenTheInputHasErrors) {
  fs::path out = dir_ / "gen";
  RunResult result = run({"-o", out.string(), "--depfile", (dir_ / "x.d").string(), "corpus/errors/redefinition.idl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(dir_ / "x.d"));
}

TEST_F(Cli, GeneratesUnderTheOutputFolderKeepingTheRelativePath) {
  fs::path out = dir_ / "gen";
  RunResult result = run({"-o", out.string(), "corpus/valid/teams.idl"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out + result.err, "");
  EXPECT_TRUE(fs::exists(out / "corpus/valid/teams.idl.h"));
  for (const char* part : {"messages", "blocking", "async"}) {
    EXPECT_TRUE(fs::exists(out / (std::string("corpus/valid/teams.idl.") + part + ".h"))) << part;
  }
  EXPECT_TRUE(fs::exists(out / "corpus/valid/teams.idl.cpp"));
  EXPECT_FALSE(fs::exists(out / "corpus/valid/common/geo.idl.h")) << "imports are compiled separately";
}

TEST_F(Cli, UnchangedOutputsKeepTheirTimestamp) {
  fs::path out = dir_ / "gen";
  ASSERT_EQ(run({"-o", out.string(), "corpus/valid/teams.idl"}).exit_code, 0);
  fs::path header = out / "corpus/valid/teams.idl.h";
  auto long_ago = fs::file_time_type::clock::now() - std::chrono::hours(24);
  fs::last_write_time(header, long_ago);
  ASSERT_EQ(run({"-o", out.string(), "corpus/valid/teams.idl"}).exit_code, 0);
  EXPECT_EQ(fs::last_write_time(header), long_ago) << "an identical output must not be rewritten";
}

TEST_F(Cli, DepfileTargetsAreTheOutputs) {
  fs::path out = dir_ / "gen";
  fs::path depfile = dir_ / "teams.d";
  ASSERT_EQ(run({"-o", out.string(), "--depfile", depfile.string(), "corpus/valid/teams.idl"}).exit_code, 0);
  std::string text = read_file(depfile);
  std::string first_line = text.substr(0, text.find('\n'));
  EXPECT_NE(first_line.find("gen/corpus/valid/teams.idl.h "), std::string::npos) << text;
  EXPECT_NE(first_line.find("gen/corpus/valid/teams.idl.messages.h "), std::string::npos) << text;
  EXPECT_NE(first_line.find("gen/corpus/valid/teams.idl.cpp:"), std::string::npos) << text;
  EXPECT_NE(text.find("common/geo.idl"), std::string::npos) << text;
}

TEST_F(Cli, GeneratorErrorsExitWithOne) {
  RunResult result = run({"-o", (dir_ / "gen").string(), "--templates", (dir_ / "missing").string(),
                          "corpus/valid/teams.idl"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err.rfind("idlc: error: ", 0), 0u) << result.err;
}

}  // namespace
