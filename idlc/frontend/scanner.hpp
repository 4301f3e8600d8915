// The lexical pre-pass over a source, run before the parser. It does what
// a grammar does badly:
//  - collects `///` doc comments, keyed by the offset of the token that
//    follows them, so the parser's skipper can treat every comment alike;
//  - reports unterminated comments and strings, invalid UTF-8 in strings
//    and doc comments, and bytes that cannot start any token;
//  - bounds nesting: the parser is recursive descent, so 10,000 nested
//    `{` or `<` would overflow its stack. Every level of parser recursion
//    needs an unclosed bracket, so counting brackets here bounds it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "frontend/diagnostics.hpp"

namespace idlc::frontend {

/// Deepest accepted nesting of `{`, `<` and `(`, together.
inline constexpr std::size_t kMaxNestingDepth = 256;

/// The `///` comments of one file, each block keyed by the offset of the
/// first token after it.
class DocComments {
 public:
  void add(std::size_t token_offset, std::size_t comment_offset, std::string text);
  /// The doc text for the declaration starting at `token_offset` ("" if
  /// none). Marks it as used.
  std::string take(std::size_t token_offset);
  /// Warns about each block no declaration took, in source order.
  void warn_unattached(const SourceFile& file, Diagnostics& diagnostics) const;

 private:
  struct Block {
    std::size_t comment_offset;
    std::string text;
    bool taken = false;
  };
  std::unordered_map<std::size_t, Block> blocks_;
};

/// Scans `file`; returns false after an error that makes parsing pointless
/// (the parser is not run then). Fills `docs`.
bool scan(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs);

/// The offset of the first byte at or after `offset` that is not
/// whitespace or part of a comment.
std::size_t skip_blanks(std::string_view text, std::size_t offset);

}  // namespace idlc::frontend
