#include "frontend/source_files.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace idlc::frontend {

namespace fs = std::filesystem;

// Bigger inputs are refused: offsets in the syntax tree are ints, and no
// real interface needs a gigabyte.
constexpr std::uintmax_t kMaxFileSize = 256u << 20;

std::optional<std::string> DiskReader::read(const fs::path& path, std::string& error) const {
  std::error_code code;
  if (fs::is_directory(path, code)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  if (auto size = fs::file_size(path, code); !code && size > kMaxFileSize) {
    error = "file is larger than 256 MiB";
    return std::nullopt;
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return std::move(contents).str();
}

bool DiskReader::exists(const fs::path& path) const {
  std::error_code code;
  return fs::is_regular_file(path, code);
}

std::string DiskReader::identity(const fs::path& path) const {
  std::error_code code;
  fs::path canonical = fs::weakly_canonical(path, code);
  return code ? fs::absolute(path).lexically_normal().string() : canonical.string();
}

void MemoryReader::add(const fs::path& path, std::string contents) {
  files_[path.lexically_normal().generic_string()] = std::move(contents);
}

std::optional<std::string> MemoryReader::read(const fs::path& path, std::string& error) const {
  auto file = files_.find(identity(path));
  if (file == files_.end()) {
    error = "No such file or directory";
    return std::nullopt;
  }
  return file->second;
}

bool MemoryReader::exists(const fs::path& path) const { return files_.count(identity(path)) > 0; }

std::string MemoryReader::identity(const fs::path& path) const { return path.lexically_normal().generic_string(); }

}  // namespace idlc::frontend
