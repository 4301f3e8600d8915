#include "frontend/symbol_table.hpp"

#include <algorithm>
#include <vector>

#include "frontend/scalars.hpp"

namespace idlc::frontend {
namespace {

std::string join(std::string_view scope, std::string_view name) {
  if (scope.empty()) return std::string(name);
  std::string full(scope);
  full += '.';
  full += name;
  return full;
}

std::string_view parent_scope(std::string_view scope) {
  std::size_t dot = scope.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : scope.substr(0, dot);
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower;
}

// Edit distance counting an insertion, a deletion, a substitution and a
// swap of two neighbours as one edit each (optimal string alignment), so
// "int23" is one edit from "int32".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

const Symbol* SymbolTable::add(const std::string& full_name, Symbol symbol) {
  auto [position, inserted] = symbols_.try_emplace(full_name, std::move(symbol));
  return inserted ? nullptr : &position->second;
}

const Symbol* SymbolTable::find(std::string_view full_name) const {
  auto symbol = symbols_.find(full_name);
  return symbol == symbols_.end() ? nullptr : &symbol->second;
}

const Symbol* SymbolTable::lookup(std::string_view name, std::string_view scope,
                                  const std::unordered_set<const model::File*>& visible,
                                  const Symbol** hidden) const {
  for (;;) {
    if (const Symbol* symbol = find(join(scope, name))) {
      if (visible.count(symbol->file) > 0) return symbol;
      if (hidden != nullptr && *hidden == nullptr) *hidden = symbol;
    }
    if (scope.empty()) return nullptr;
    scope = parent_scope(scope);
  }
}

std::string SymbolTable::suggest(std::string_view name, std::string_view scope,
                                 const std::unordered_set<const model::File*>& visible) const {
  // Compare simple names, ignoring case: "Stat" is close to
  // "TeamResponse.Stats", "Strin" to "string". Up to one edit per three
  // letters, or the suggestions turn random.
  std::string simple = lowercase(name.substr(name.rfind('.') + 1));
  std::size_t best_distance = std::max<std::size_t>(1, simple.size() / 3) + 1;
  std::string best;
  auto consider = [&](std::size_t distance, std::string spelling) {
    // Ties go to the alphabetically first spelling, so the note is stable.
    if (distance < best_distance || (distance == best_distance && !best.empty() && spelling < best)) {
      best_distance = distance;
      best = std::move(spelling);
    }
  };
  for (const auto& [spelling, scalar] : kScalarNames) consider(edit_distance(simple, lowercase(spelling)), std::string(spelling));
  for (const auto& [full_name, symbol] : symbols_) {
    if (symbol.kind == Symbol::Kind::Service || visible.count(symbol.file) == 0) continue;
    std::size_t distance = edit_distance(simple, lowercase(symbol.name));
    if (distance > best_distance) continue;
    bool reachable_by_name = lookup(symbol.name, scope, visible, nullptr) == &symbol;
    consider(distance, reachable_by_name ? symbol.name : full_name);
  }
  return best;
}

}  // namespace idlc::frontend
