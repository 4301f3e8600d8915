// calc_server: four arithmetic operations as a service.
//
//   calc_server [--port 50052]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/server.hpp>

#include "calc.idl.h"

namespace {

class CalculatorService final : public calc::Calculator::Service {
  calc::Result Add(idlrpc::ServerContext&, const calc::Operands& in) override {
    return {.value = in.a + in.b};
  }
  calc::Result Subtract(idlrpc::ServerContext&, const calc::Operands& in) override {
    return {.value = in.a - in.b};
  }
  calc::Result Multiply(idlrpc::ServerContext&, const calc::Operands& in) override {
    return {.value = in.a * in.b};
  }
  calc::Result Divide(idlrpc::ServerContext&, const calc::Operands& in) override {
    // IEEE division would answer inf or NaN; a calculator says what is wrong.
    if (in.b == 0) throw idlrpc::Error(idlrpc::StatusCode::INVALID_ARGUMENT, "division by zero");
    return {.value = in.a / in.b};
  }
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the Calculator service."};
  std::uint16_t port = 50052;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  CLI11_PARSE(app, argc, argv);

  CalculatorService service;
  idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "calc_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Calculator server listening on 0.0.0.0:{}\n", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
