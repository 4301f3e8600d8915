// The contents of templates/*.mustache, compiled into idlc by
// embed_templates.cmake so idlc runs from anywhere.
#pragma once

#include <cstddef>
#include <string_view>

namespace idlc::backend {

struct EmbeddedTemplate {
  std::string_view name;  // file stem: "header", "capnp_message"
  std::string_view text;
};

extern const EmbeddedTemplate kEmbeddedTemplates[];
extern const std::size_t kEmbeddedTemplateCount;

}  // namespace idlc::backend
