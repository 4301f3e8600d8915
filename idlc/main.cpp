// idlc: compiles .idl files into C++ message types, client stubs and
// server skeletons.
//
//   idlc [options] FILE...    (idlc --help lists the options)
//
// Exit status: 0 success, 1 errors in the input (or in writing the
// output), 2 bad usage. Diagnostics go to stderr; success prints nothing.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "backend/generate.hpp"
#include "frontend/frontend.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kExitSuccess = 0;
constexpr int kExitInputError = 1;
constexpr int kExitUsage = 2;

struct Options {
  std::vector<std::string> inputs;
  std::vector<std::string> import_dirs;
  std::string output_dir = ".";
  bool check_only = false;
  std::string depfile;
  bool emit_capnp = false;
  std::string templates_dir;
};

// Writes `contents` unless the file already holds exactly that, so an
// unchanged output keeps its timestamp and builds do not redo work.
void write_if_changed(const fs::path& path, const std::string& contents) {
  {
    std::ifstream existing(path, std::ios::binary);
    if (existing) {
      std::ostringstream current;
      current << existing.rdbuf();
      if (current.str() == contents) return;
    }
  }
  if (path.has_parent_path()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  out.close();
  if (!out) throw std::runtime_error("cannot write '" + path.generic_string() + "'");
}

// Make's escaping for a path in a rule: spaces and '#' get a backslash,
// '$' doubles.
std::string make_escape(const std::string& path) {
  std::string escaped;
  for (char c : path) {
    if (c == ' ' || c == '#') escaped += '\\';
    if (c == '$') escaped += '$';
    escaped += c;
  }
  return escaped;
}

// `outputs: inputs`, absolute paths: the build tool may run idlc in another
// folder than the one it reads the depfile from.
std::string depfile_text(const std::vector<fs::path>& outputs, const std::vector<std::string>& inputs) {
  std::string text;
  for (const fs::path& output : outputs) {
    if (!text.empty()) text += ' ';
    text += make_escape(fs::absolute(output).lexically_normal().generic_string());
  }
  text += ':';
  for (const std::string& input : inputs) {
    text += " \\\n  " + make_escape(fs::absolute(input).lexically_normal().generic_string());
  }
  return text + '\n';
}

int run(const Options& options) {
  idlc::frontend::Diagnostics diagnostics(std::cerr);
  idlc::frontend::CompileOptions compile_options;
  for (const std::string& dir : options.import_dirs) compile_options.import_dirs.emplace_back(dir);
  idlc::frontend::CompileResult result = idlc::frontend::compile(options.inputs, compile_options, diagnostics);
  if (!result.program) return kExitInputError;

  std::vector<fs::path> outputs;
  try {
    if (!options.check_only) {
      idlc::backend::GenerateOptions generate_options;
      generate_options.emit_capnp = options.emit_capnp;
      if (!options.templates_dir.empty()) generate_options.templates_dir = options.templates_dir;
      for (const idlc::model::File* root : result.program->roots) {
        for (const auto& output : idlc::backend::generate(*root, generate_options)) {
          fs::path path = fs::path(options.output_dir) / output.relative_path;
          write_if_changed(path, output.contents);
          outputs.push_back(path);
        }
      }
    }
    if (!options.depfile.empty()) {
      // With --check nothing is generated: the depfile names itself.
      if (outputs.empty()) outputs.emplace_back(options.depfile);
      write_if_changed(options.depfile, depfile_text(outputs, result.files_read));
    }
  } catch (const std::exception& error) {
    std::cerr << "idlc: error: " << error.what() << '\n';
    return kExitInputError;
  }
  return kExitSuccess;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"idlc: compiles IDL files into C++ message types, client stubs and server skeletons.", "idlc"};
  Options options;
  app.add_option("FILE", options.inputs, "IDL files to compile")->required();
  app.add_option("-I,--import-dir", options.import_dirs,
                 "Folder to search for imports not found beside the importing file (repeatable, in order)")
      ->type_name("DIR");
  app.add_option("-o,--output", options.output_dir, "Folder for the generated files (default: .)")->type_name("DIR");
  app.add_flag("--check", options.check_only, "Only check the input; generate nothing");
  app.add_option("--depfile", options.depfile, "Write a Make-style dependency file")->type_name("FILE");
  app.add_flag("--emit-capnp", options.emit_capnp, "Also write the equivalent Cap'n Proto schema");
  app.add_option("--templates", options.templates_dir, "Use the code templates in DIR instead of the built-in ones")
      ->type_name("DIR");
  app.set_version_flag("--version", "idlc " IDLRPC_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version "fail" with exit code 0; everything else is a
    // usage error, whatever code CLI11 would pick.
    app.exit(error);
    return error.get_exit_code() == 0 ? kExitSuccess : kExitUsage;
  }
  return run(options);
}
