#include "backend/templates.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "backend/embedded_templates.hpp"

namespace idlc::backend {
namespace {

// The Mustache spec drops a line that holds nothing but one section,
// inverted-section, closing, partial or comment tag. kainjow 4.1 does so only
// for sections that render (an empty list or a false flag leaves a blank
// line) and also drops blank lines that follow such tags. So idlc does it
// itself: each standalone tag gets a marker after it before parsing, and
// after rendering every line that holds only markers is removed.
constexpr char kStandaloneMarker = '\x01';

std::string mark_standalone_tags(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline;
    const std::string_view line = text.substr(start, end - start);
    out += line;
    const std::size_t first = line.find_first_not_of(" \t");
    const std::size_t last = line.find_last_not_of(" \t");
    if (first != std::string_view::npos && line.substr(first).starts_with("{{") &&
        line.find_first_of("#^/>!", first + 2) == first + 2 && line.find("}}", first) + 1 == last) {
      out += kStandaloneMarker;
    }
    if (newline != std::string_view::npos) out += '\n';
    start = end + 1;
  }
  return out;
}

std::string drop_marked_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t newline = text.find('\n', start);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::string_view line = text.substr(start, end - start);
    const bool only_markers = line.find(kStandaloneMarker) != std::string_view::npos &&
                              line.find_first_not_of(" \t\n\x01") == std::string_view::npos;
    if (!only_markers) {
      for (const char c : line) {
        if (c != kStandaloneMarker) out += c;
      }
    }
    start = end;
  }
  return out;
}

}  // namespace

TemplateSet TemplateSet::embedded() {
  TemplateSet set;
  set.origin_ = "built-in templates";
  for (std::size_t i = 0; i < kEmbeddedTemplateCount; ++i) {
    set.sources_.emplace(kEmbeddedTemplates[i].name, mark_standalone_tags(kEmbeddedTemplates[i].text));
  }
  return set;
}

TemplateSet TemplateSet::from_directory(const std::filesystem::path& dir) {
  TemplateSet set;
  set.origin_ = dir.string();
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  if (error) throw std::runtime_error("cannot read templates from " + dir.string() + ": " + error.message());
  for (const auto& entry : it) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read template " + entry.path().string());
    set.sources_.emplace(entry.path().stem().string(), mark_standalone_tags(text.str()));
  }
  return set;
}

std::string TemplateSet::render(const std::string& name, const kainjow::mustache::data& view) const {
  const auto found = sources_.find(name);
  if (found == sources_.end()) throw std::runtime_error(origin_ + ": no template " + name + ".mustache");

  kainjow::mustache::mustache tmpl(found->second);
  if (!tmpl.is_valid()) throw std::runtime_error(origin_ + ": " + name + ".mustache: " + tmpl.error_message());
  // Generated C++ is not HTML: nothing is escaped.
  tmpl.set_custom_escape([](const std::string& text) { return text; });

  kainjow::mustache::data with_partials = view;
  for (const auto& [partial_name, text] : sources_) {
    with_partials.set(partial_name, kainjow::mustache::partial([&text = text] { return text; }));
  }
  const std::string out = tmpl.render(with_partials);
  if (!tmpl.is_valid()) throw std::runtime_error(origin_ + ": " + name + ".mustache: " + tmpl.error_message());
  return drop_marked_lines(out);
}

}  // namespace idlc::backend
