// Clang-style diagnostics: `path:line:col: error: message`, the source line
// and a caret under the column. Message texts live in diagnostic_kinds.def.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "frontend/source_file.hpp"

namespace idlc::frontend {

enum class Severity { Error, Warning, Note };

enum class DiagnosticId {
#define IDLC_DIAGNOSTIC(Id, Level, Text) Id,
#include "frontend/diagnostic_kinds.def"
#undef IDLC_DIAGNOSTIC
};

/// Where a diagnostic points: a byte offset in a file, or nowhere (file is
/// null) for problems outside any source, like an unreadable file.
struct SourceRef {
  const SourceFile* file = nullptr;
  std::size_t offset = 0;
};

class Diagnostics {
 public:
  /// Clang stops after 20 errors too: past that, later errors are mostly
  /// consequences of earlier ones.
  static constexpr unsigned kDefaultErrorLimit = 20;

  explicit Diagnostics(std::ostream& out, unsigned error_limit = kDefaultErrorLimit);

  template <class... Args>
  void report(DiagnosticId id, SourceRef where, const Args&... args) {
    emit(id, where, fmt::vformat(text_of(id), fmt::make_format_args(args...)));
  }

  /// From now on, hold diagnostics back until flush(), which prints them
  /// sorted by file (in `file_order`) and position, each with its notes.
  /// Semantic passes run check by check; users read files top to bottom.
  void defer(std::vector<const SourceFile*> file_order);
  void flush();

  unsigned error_count() const { return errors_; }
  unsigned warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }

 private:
  static std::string_view text_of(DiagnosticId id);
  void emit(DiagnosticId id, SourceRef where, const std::string& message);

  struct Entry {
    Severity severity;
    SourceRef where;
    std::string message;
  };
  // An error or warning, then the notes that follow it.
  struct Group {
    std::size_t file_rank;
    std::size_t offset;
    std::vector<Entry> entries;
  };
  void print(const Group& group);

  std::ostream& out_;
  unsigned error_limit_;
  unsigned errors_ = 0;
  unsigned warnings_ = 0;
  unsigned printed_errors_ = 0;
  bool deferring_ = false;
  bool stopped_ = false;  // the error limit was reached
  std::vector<const SourceFile*> file_order_;
  std::vector<Group> pending_;  // not printed yet
};

}  // namespace idlc::frontend
