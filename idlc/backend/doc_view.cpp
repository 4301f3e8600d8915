#include "backend/names.hpp"
#include "backend/views.hpp"

namespace idlc::backend {

kainjow::mustache::data doc_view(const std::string& doc) {
  kainjow::mustache::data lines{kainjow::mustache::data::type::list};
  for (const std::string& line : split_lines(doc)) {
    // The front end keeps what followed "///", usually a space: keep one.
    const std::string_view text = line.starts_with(' ') ? std::string_view(line).substr(1) : std::string_view(line);
    std::string prefixed;
    if (!text.empty()) {
      prefixed.reserve(text.size() + 1);
      prefixed += ' ';
      prefixed += text;
    }
    kainjow::mustache::data view;
    view.set("text", prefixed);
    lines.push_back(view);
  }
  return lines;
}

}  // namespace idlc::backend
