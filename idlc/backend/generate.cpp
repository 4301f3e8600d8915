#include "backend/generate.hpp"

#include "backend/names.hpp"
#include "backend/templates.hpp"
#include "backend/views.hpp"

namespace idlc::backend {

std::vector<OutputFile> generate(const model::File& file, const GenerateOptions& options) {
  const TemplateSet templates =
      options.templates_dir ? TemplateSet::from_directory(*options.templates_dir) : TemplateSet::embedded();

  const kainjow::mustache::data cpp = cpp_view(file);
  std::vector<OutputFile> outputs;
  outputs.push_back({header_path(file), templates.render("header", cpp)});
  for (const char* part : {"messages", "blocking", "async"}) {
    outputs.push_back({header_path(file, part), templates.render("header_" + std::string(part), cpp)});
  }
  outputs.push_back({source_path(file), templates.render("source", cpp)});
  if (options.emit_capnp) outputs.push_back({capnp_path(file), templates.render("capnp", capnp_view(file))});
  return outputs;
}

}  // namespace idlc::backend
