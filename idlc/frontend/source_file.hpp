// One IDL source text in memory, with the table that turns byte offsets
// into line and column numbers for diagnostics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace idlc::frontend {

/// A 1-based line and byte column.
struct LineColumn {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

class SourceFile {
 public:
  /// `path` is how diagnostics name the file; `text` is its whole content.
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }

  /// Line and column of a byte offset (an offset past the end maps to the
  /// end of the last line). O(log lines).
  LineColumn line_column(std::size_t offset) const;
  /// The text of a 1-based line, without its line break.
  std::string_view line_text(std::uint32_t line) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;  // byte offset where each line begins
};

}  // namespace idlc::frontend
