// The Mustache templates generated files are rendered from: the ones
// embedded in idlc at build time (templates/*.mustache), or a directory
// given with --templates. Every template is also a partial ({{>name}}).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <kainjow/mustache.hpp>

namespace idlc::backend {

class TemplateSet {
 public:
  /// The templates compiled into idlc.
  static TemplateSet embedded();
  /// Every *.mustache file in `dir`, by file stem. Throws std::runtime_error
  /// if the directory cannot be read.
  static TemplateSet from_directory(const std::filesystem::path& dir);

  /// Renders template `name` with `view`. Throws std::runtime_error naming
  /// the template when it is missing or does not parse.
  std::string render(const std::string& name, const kainjow::mustache::data& view) const;

 private:
  std::map<std::string, std::string> sources_;  // stem -> text
  std::string origin_;                           // for error messages
};

}  // namespace idlc::backend
