// Bad input never crashes or hangs the front end: garbage, truncations,
// deep nesting, large files. (Speed is measured in bench/idlc, not here.)
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "frontend/frontend.hpp"
#include "frontend/scanner.hpp"

namespace {

struct Outcome {
  bool ok;
  std::string diagnostics;
};

Outcome compile_text(const std::string& text) {
  idlc::frontend::MemoryReader reader;
  reader.add("input.idl", text);
  std::ostringstream output;
  idlc::frontend::Diagnostics diagnostics(output);
  auto result = idlc::frontend::compile({"input.idl"}, {}, diagnostics, reader);
  return {result.program != nullptr, output.str()};
}

const char* const kExample = R"(package sports.teams;
/// Doc.
message TeamResponse {
  string city = 1;
  optional uint32 founded = 3;
  list<string> players = 4;
  map<string, int64> scores = 5;
  reserved 8, 9;
  message Stats { float64 ratio = 1; }
  Stats stats = 10;
}
enum Division { NORTH = 0; SOUTH = 1; }
service Teams {
  rpc Chat(stream TeamResponse) returns (stream TeamResponse);
}
)";

TEST(Robustness, ExampleCompiles) { EXPECT_TRUE(compile_text(kExample).ok) << compile_text(kExample).diagnostics; }

TEST(Robustness, EveryTruncationIsHandled) {
  std::string text = kExample;
  for (std::size_t length = 0; length < text.size(); ++length) {
    Outcome outcome = compile_text(text.substr(0, length));
    // Either a valid prefix or at least one error; never silence on failure.
    EXPECT_TRUE(outcome.ok || outcome.diagnostics.find("error:") != std::string::npos) << length;
  }
}

TEST(Robustness, RandomBytesGiveErrorsNotCrashes) {
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 500; ++round) {
    std::string text(static_cast<std::size_t>(1 + round % 200), '\0');
    for (char& c : text) c = static_cast<char>(byte(random));
    Outcome outcome = compile_text(text);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.diagnostics.find("error:"), std::string::npos);
  }
}

TEST(Robustness, RandomTokenSoupGivesErrorsNotCrashes) {
  const char* const tokens[] = {"message", "enum", "service", "rpc", "returns", "stream", "{", "}", "<", ">",
                                "(", ")", ";", "=", ",", ".", "A", "int32", "list", "map", "1", "-2",
                                "\"x.idl\"", "import", "package", "optional", "reserved", "///d\n", "//c\n"};
  std::mt19937 random(54321);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(tokens) - 1);
  for (int round = 0; round < 500; ++round) {
    std::string text;
    for (int i = 0; i < 40; ++i) text += std::string(tokens[pick(random)]) + ' ';
    Outcome outcome = compile_text(text);
    EXPECT_TRUE(outcome.ok || outcome.diagnostics.find("error:") != std::string::npos) << text;
  }
}

// Nesting right at the limit parses (and does not overflow the stack,
// sanitizer builds included); one level more is refused.
TEST(Robustness, NestingUpToTheLimitParses) {
  const std::size_t depth = idlc::frontend::kMaxNestingDepth;
  std::string text;
  for (std::size_t i = 0; i < depth; ++i) text += "message M" + std::to_string(i) + " {\n";
  text += std::string(depth, '}');
  Outcome at_limit = compile_text(text);
  EXPECT_TRUE(at_limit.ok) << at_limit.diagnostics.substr(0, 500);

  std::string deep_type = "message A { ";
  for (std::size_t i = 0; i + 1 < depth; ++i) deep_type += "list<";
  deep_type += "int32" + std::string(depth - 1, '>') + " x = 1; }";
  Outcome deep_list = compile_text(deep_type);
  EXPECT_TRUE(deep_list.ok) << deep_list.diagnostics.substr(0, 500);

  Outcome too_deep = compile_text("message A { " + std::string(depth, '<'));
  EXPECT_NE(too_deep.diagnostics.find("nesting is too deep"), std::string::npos);
}

TEST(Robustness, TenThousandLevelsAreRefusedCleanly) {
  for (const std::string& opener : {std::string("message M {"), std::string("list<"), std::string("(")}) {
    std::string text;
    for (int i = 0; i < 10000; ++i) text += opener;
    Outcome outcome = compile_text(text);
    EXPECT_FALSE(outcome.ok);
    EXPECT_NE(outcome.diagnostics.find("nesting is too deep"), std::string::npos) << opener;
  }
}

TEST(Robustness, LargeFileCompiles) {
  std::string text = "package big;\n";
  for (int i = 0; text.size() < (5u << 20); ++i) {
    text += "/// Message " + std::to_string(i) + ".\nmessage M" + std::to_string(i) + " {\n";
    for (int f = 1; f <= 8; ++f) text += "  optional int64 field_" + std::to_string(f) + " = " + std::to_string(f) + ";\n";
    if (i > 0) text += "  M" + std::to_string(i - 1) + " previous = 9;\n";
    text += "}\n";
  }
  Outcome outcome = compile_text(text);
  EXPECT_TRUE(outcome.ok) << outcome.diagnostics.substr(0, 500);
}

TEST(Robustness, LongLinesAreShownAsAWindow) {
  std::string text = "message A {" + std::string(100000, ' ') + "bogus }";
  Outcome outcome = compile_text(text);
  EXPECT_FALSE(outcome.ok);
  EXPECT_LT(outcome.diagnostics.size(), 1000u);
  EXPECT_NE(outcome.diagnostics.find("..."), std::string::npos);
}

}  // namespace
