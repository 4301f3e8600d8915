// calc_client: computes with the Calculator server.
//
//   calc_client [--target localhost:50052] [--lb round_robin]          a short tour
//   calc_client [--target localhost:50052] [--lb round_robin] 7 / 2    one operation
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <string>
#include <vector>

#include "calc.idl.h"

namespace {

// One operation by its symbol; the client's only dispatch.
calc::Result compute(calc::Calculator::Client& calculator, double a, char op, double b) {
  const calc::Operands operands{.a = a, .b = b};
  switch (op) {
    case '+': return calculator.Add(operands);
    case '-': return calculator.Subtract(operands);
    case '*': case 'x': return calculator.Multiply(operands);
    case '/': return calculator.Divide(operands);
  }
  throw std::invalid_argument(fmt::format("unknown operation '{}': use + - * /", op));
}

struct Operation {
  double a;
  char op;
  double b;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Adds, subtracts, multiplies and divides on the Calculator server."};
  std::string target = "localhost:50052";
  std::vector<std::string> expression;
  app.add_option("--target", target, "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  app.add_option("expression", expression, "A OP B, e.g. 7 / 2 (default: a short tour)")->expected(0, 3);
  CLI11_PARSE(app, argc, argv);

  std::vector<Operation> operations = {{7, '+', 5}, {7, '-', 5}, {7, '*', 5}, {7, '/', 2}, {7, '/', 0}};
  if (!expression.empty()) {
    if (expression.size() != 3 || expression[1].size() != 1) {
      fmt::print(stderr, "calc_client: expected A OP B, e.g. 7 / 2\n");
      return 2;
    }
    operations = {{std::stod(expression[0]), expression[1][0], std::stod(expression[2])}};
  }

  calc::Calculator::Client calculator{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  int failures = 0;
  for (const auto& [a, op, b] : operations) {
    try {
      fmt::print("{} {} {} = {}\n", a, op, b, compute(calculator, a, op, b).value);
    } catch (const idlrpc::RpcError& e) {
      if (e.code() != idlrpc::StatusCode::INVALID_ARGUMENT) {
        // The runtime names the address in connection errors.
        fmt::print(stderr, "calc_client: {}\n", e.what());
        return 1;
      }
      // The server refused the operands: say why, and go on.
      fmt::print("{} {} {} failed: {} ({})\n", a, op, b, e.message(), idlrpc::to_string(e.code()));
      ++failures;
    } catch (const std::invalid_argument& e) {
      fmt::print(stderr, "calc_client: {}\n", e.what());
      return 2;
    }
  }
  return expression.empty() || failures == 0 ? 0 : 1;
}
