// idlc: compiles .idl files into C++ message types, client stubs and
// server skeletons.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"idlc: the idlrpc interface compiler"};
  app.set_version_flag("--version", "idlc " IDLRPC_VERSION);
  std::vector<std::string> inputs;
  app.add_option("FILE", inputs, "IDL files to compile")->required();
  CLI11_PARSE(app, argc, argv);
  return 0;
}
