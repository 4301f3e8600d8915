#include "frontend/diagnostics.hpp"

#include <algorithm>
#include <array>
#include <tuple>
#include <ostream>

#include "frontend/utf8.hpp"

namespace idlc::frontend {
namespace {

struct DiagnosticInfo {
  Severity severity;
  std::string_view text;
};

constexpr std::array kDiagnostics = {
#define IDLC_DIAGNOSTIC(Id, Level, Text) DiagnosticInfo{Severity::Level, Text},
#include "frontend/diagnostic_kinds.def"
#undef IDLC_DIAGNOSTIC
};

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// A long line (a minified or binary file) is shown as a window around the
// caret so a diagnostic stays readable.
constexpr std::size_t kMaxShownBytes = 160;

// Prints the source line and the caret line under `column` (1-based bytes).
// The caret line repeats the tabs of the source line and counts one column
// per UTF-8 character, so the caret lines up in a terminal; control bytes
// and invalid UTF-8 are shown as '?' so garbage cannot corrupt the terminal.
void print_excerpt(std::ostream& out, std::string_view line, std::size_t column) {
  std::size_t caret = std::min(column - 1, line.size());
  std::size_t begin = 0;
  std::size_t end = line.size();
  if (line.size() > kMaxShownBytes) {
    begin = caret > kMaxShownBytes / 2 ? caret - kMaxShownBytes / 2 : 0;
    while (begin > 0 && is_utf8_continuation(line[begin])) --begin;
    end = std::min(line.size(), begin + kMaxShownBytes);
    while (end < line.size() && is_utf8_continuation(line[end])) ++end;
  }
  std::string shown = begin > 0 ? "..." : "";
  std::string marker(shown.size(), ' ');
  for (std::size_t i = begin; i < end;) {
    std::size_t length = utf8_sequence_length(line.substr(i));
    bool before_caret = i < caret;
    unsigned char byte = static_cast<unsigned char>(line[i]);
    if (byte == '\t') {
      shown += '\t';
      if (before_caret) marker += '\t';
    } else if (length == 0 || byte < 0x20 || byte == 0x7f) {
      shown += '?';
      if (before_caret) marker += ' ';
      length = 1;
    } else {
      shown.append(line.substr(i, length));
      if (before_caret) marker += ' ';
    }
    i += length;
  }
  if (end < line.size()) shown += "...";
  out << shown << '\n' << marker << "^\n";
}

}  // namespace

Diagnostics::Diagnostics(std::ostream& out, unsigned error_limit) : out_(out), error_limit_(error_limit) {}

std::string_view Diagnostics::text_of(DiagnosticId id) { return kDiagnostics[static_cast<std::size_t>(id)].text; }

void Diagnostics::emit(DiagnosticId id, SourceRef where, const std::string& message) {
  Severity severity = kDiagnostics[static_cast<std::size_t>(id)].severity;
  if (severity == Severity::Error) ++errors_;
  if (severity == Severity::Warning) ++warnings_;

  if (severity == Severity::Note && !pending_.empty()) {
    pending_.back().entries.push_back({severity, where, message});
    return;
  }
  std::size_t rank = static_cast<std::size_t>(std::find(file_order_.begin(), file_order_.end(), where.file) -
                                              file_order_.begin());
  pending_.push_back({rank, where.offset, {{severity, where, message}}});
  if (!deferring_) flush();
}

void Diagnostics::defer(std::vector<const SourceFile*> file_order) {
  flush();
  file_order_ = std::move(file_order);
  deferring_ = true;
}

void Diagnostics::flush() {
  std::stable_sort(pending_.begin(), pending_.end(), [](const Group& a, const Group& b) {
    return std::tie(a.file_rank, a.offset) < std::tie(b.file_rank, b.offset);
  });
  for (const Group& group : pending_) print(group);
  pending_.clear();
  deferring_ = false;
}

// Rendering waits until here, so held-back diagnostics past the error
// limit cost no formatting.
void Diagnostics::print(const Group& group) {
  if (stopped_) return;
  Severity severity = group.entries.front().severity;
  if (severity == Severity::Error && printed_errors_ == error_limit_) {
    out_ << "idlc: fatal error: too many errors emitted, stopping now\n";
    stopped_ = true;
    return;
  }
  if (severity == Severity::Error) ++printed_errors_;
  for (const Entry& entry : group.entries) {
    if (entry.where.file == nullptr) {
      out_ << "idlc: " << severity_name(entry.severity) << ": " << entry.message << '\n';
      continue;
    }
    LineColumn position = entry.where.file->line_column(entry.where.offset);
    out_ << entry.where.file->path() << ':' << position.line << ':' << position.column << ": "
         << severity_name(entry.severity) << ": " << entry.message << '\n';
    print_excerpt(out_, entry.where.file->line_text(position.line), position.column);
  }
}

}  // namespace idlc::frontend
