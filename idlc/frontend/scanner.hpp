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
#include <vector>

#include "frontend/diagnostics.hpp"

namespace idlc::frontend {

/// Deepest accepted nesting of `{`, `<` and `(`, together.
inline constexpr std::size_t kMaxNestingDepth = 256;

/// The `///` comments of one file, each block keyed by the offset of the
/// first token after it.
class DocComments {
 public:
  /// Blocks must be added in source order (the scanner does).
  void add(std::size_t token_offset, std::size_t comment_offset, std::string text);
  /// The doc text for the declaration starting at `token_offset` ("" if
  /// none). Marks it as used.
  std::string take(std::size_t token_offset);
  /// Warns about each block no declaration took, in source order.
  void warn_unattached(const SourceFile& file, Diagnostics& diagnostics) const;

 private:
  struct Block {
    std::size_t token_offset;
    std::size_t comment_offset;
    std::string text;
    bool taken = false;
  };
  // Sorted by token_offset: binary search beats a hash map here, the
  // lookups come in source order and stay in cache.
  std::vector<Block> blocks_;
};

/// Scans `file`; returns false after an error that makes parsing pointless
/// (the parser is not run then). Fills `docs`.
bool scan(const SourceFile& file, Diagnostics& diagnostics, DocComments& docs);

/// 3 if `text` starts with a UTF-8 byte order mark (Windows editors write
/// one), which the scanner and the parser skip; else 0.
inline std::size_t byte_order_mark_length(std::string_view text) { return text.starts_with("\xEF\xBB\xBF") ? 3 : 0; }

/// The offset of the first byte at or after `offset` that is not
/// whitespace or part of a comment.
std::size_t skip_blanks(std::string_view text, std::size_t offset);

}  // namespace idlc::frontend
