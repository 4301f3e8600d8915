#include "backend/names.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace idlc::backend {
namespace {

std::vector<std::string_view> decl_path(const model::TypeDecl& decl) {
  std::vector<std::string_view> path{decl.name};
  for (const model::Message* parent = decl.parent; parent != nullptr; parent = parent->parent) {
    path.push_back(parent->name);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

std::string join(const std::vector<std::string_view>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += separator;
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string cpp_flat_name(const model::TypeDecl& decl) { return join(decl_path(decl), "_"); }

std::string cpp_namespace(const model::File& file) {
  std::vector<std::string_view> parts(file.package.begin(), file.package.end());
  return join(parts, "::");
}

std::string cpp_qualified_name(const model::TypeDecl& decl) {
  const std::string ns = cpp_namespace(*decl.file);
  return ns.empty() ? "::" + cpp_flat_name(decl) : "::" + ns + "::" + cpp_flat_name(decl);
}

std::string scoped_name(const model::TypeDecl& decl) { return join(decl_path(decl), "."); }

std::string header_path(const model::File& file, std::string_view part) {
  return part.empty() ? file.relative_path + ".h" : file.relative_path + "." + std::string(part) + ".h";
}
std::string source_path(const model::File& file) { return file.relative_path + ".cpp"; }
std::string capnp_path(const model::File& file) {
  return std::filesystem::path(file.relative_path).replace_extension(".capnp").generic_string();
}

std::string capnp_cxx_namespace(const model::File& file) {
  if (!file.package.empty()) {
    std::vector<std::string_view> parts(file.package.begin(), file.package.end());
    return "idlrpc_capnp::" + join(parts, "::");
  }
  std::string name = "idlrpc_capnp::file_";
  const std::string stem = std::filesystem::path(file.relative_path).replace_extension().generic_string();
  bool separator = false;
  for (const char c : stem) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      if (separator && name.back() != '_') name += '_';
      name += c;
      separator = false;
    } else {
      separator = true;
    }
  }
  return name;
}

std::uint64_t capnp_file_id(const model::File& file) {
  std::vector<std::string_view> parts(file.package.begin(), file.package.end());
  const std::string key = join(parts, ".") + ":" + file.relative_path;
  std::uint64_t hash = 0xcbf29ce484222325ull;  // FNV-1a, 64-bit
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash | (1ull << 63);
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  if (text.empty()) return lines;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find('\n', start);
    lines.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

}  // namespace idlc::backend
