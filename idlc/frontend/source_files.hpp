// Where the front end reads files from: the disk for idlc, memory for the
// tests and the fuzzer.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace idlc::frontend {

class SourceReader {
 public:
  virtual ~SourceReader() = default;
  /// The whole content of `path`, or nullopt with `error` set to the reason.
  virtual std::optional<std::string> read(const std::filesystem::path& path, std::string& error) const = 0;
  virtual bool exists(const std::filesystem::path& path) const = 0;
  /// A key equal for two paths to the same file (symbolic links, "a/../b").
  virtual std::string identity(const std::filesystem::path& path) const = 0;
};

/// Reads from the file system.
class DiskReader final : public SourceReader {
 public:
  std::optional<std::string> read(const std::filesystem::path& path, std::string& error) const override;
  bool exists(const std::filesystem::path& path) const override;
  std::string identity(const std::filesystem::path& path) const override;
};

/// Files held in memory, by normalized relative path.
class MemoryReader final : public SourceReader {
 public:
  void add(const std::filesystem::path& path, std::string contents);
  std::optional<std::string> read(const std::filesystem::path& path, std::string& error) const override;
  bool exists(const std::filesystem::path& path) const override;
  std::string identity(const std::filesystem::path& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

}  // namespace idlc::frontend
