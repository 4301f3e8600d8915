// users_client: signs four people up, then lists every user.
//
//   users_client [--target localhost:50054] [--lb round_robin] [--timeout 30]
//
// Each call must end within --timeout seconds (30, as in the tutorial): a
// deadline the server learns too. Against `users_server --slow` the first
// call fails with DEADLINE_EXCEEDED.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "users.idl.h"

int main(int argc, char** argv) {
  CLI::App app{"Signs people up with the Users server and lists them."};
  std::string target = "localhost:50054";
  double timeout_seconds = 30;
  app.add_option("--target", target, "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  app.add_option("--timeout", timeout_seconds, "deadline of each call, in seconds");
  CLI11_PARSE(app, argc, argv);

  const auto timeout = std::chrono::duration_cast<idlrpc::Clock::duration>(
      std::chrono::duration<double>(timeout_seconds));
  // A deadline is a point in time: make fresh options for each call.
  auto within_timeout = [&] { return idlrpc::CallOptions{}.set_timeout(timeout); };

  const std::vector<std::pair<std::string, std::string>> people = {
      {"Ada", "ada@example.com"},
      {"Grace", "grace@example.com"},
      {"Ada Again", "ada@example.com"},
      {"Linus", "linus"},
  };
  users::Users::Client users{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    for (const auto& [name, email] : people) {
      try {
        auto user = users.Signup({.name = name, .email = email}, within_timeout());
        fmt::print("Signed up {} <{}> as user {}\n", user.name, user.email, user.id);
      } catch (const idlrpc::RpcError& e) {
        // The server refused this one: say why and go on. Anything else
        // (no server, deadline exceeded) ends the program below.
        if (e.code() != idlrpc::StatusCode::ALREADY_EXISTS && e.code() != idlrpc::StatusCode::INVALID_ARGUMENT) throw;
        fmt::print("Signup of {} refused: {} ({})\n", name, e.message(), idlrpc::to_string(e.code()));
      }
    }
    fmt::print("All users:\n");
    for (const auto& user : users.GetUsers({}, within_timeout())) {
      fmt::print("  {}. {} <{}>\n", user.id, user.name, user.email);
    }
  } catch (const idlrpc::RpcError& e) {
    fmt::print(stderr, "users_client: {}\n", e.what());  // "DEADLINE_EXCEEDED: deadline exceeded"
    return 1;
  }
  return 0;
}
