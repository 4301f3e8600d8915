// shop_client: fills a cart, shows it, checks it out.
//
//   shop_client [--target localhost:50056] [--lb round_robin] [--timeout 30] [--cancel-after MS]
//
// Every call carries a deadline (--timeout seconds), an "x-request-id"
// (r1, r2, ...) and a stop token; --cancel-after cancels the calls in
// flight after MS milliseconds. The cart service passes all three on to
// the product service. Refusals (unknown product, too little stock) are
// printed and the tour goes on; any other failure ends it.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <chrono>
#include <stop_token>
#include <string>
#include <thread>

#include "shop.idl.h"

namespace {

std::string money(std::int64_t cents) { return fmt::format("{}.{:02}", cents / 100, cents % 100); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Shops with the Carts server."};
  std::string target = "localhost:50056";
  double timeout_seconds = 30;
  int cancel_after_ms = 0;
  app.add_option("--target", target, "cart server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  app.add_option("--timeout", timeout_seconds, "deadline of each call, in seconds");
  app.add_option("--cancel-after", cancel_after_ms, "cancel the call in flight after this many ms");
  CLI11_PARSE(app, argc, argv);

  std::stop_source cancel;
  std::jthread canceller;
  if (cancel_after_ms > 0) {
    canceller = std::jthread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(cancel_after_ms));
      cancel.request_stop();
    });
  }
  const auto timeout = std::chrono::duration_cast<idlrpc::Clock::duration>(
      std::chrono::duration<double>(timeout_seconds));
  int calls = 0;
  auto options = [&] {
    return idlrpc::CallOptions{}
        .set_timeout(timeout)
        .set_cancellation(cancel.get_token())
        .add_metadata("x-request-id", fmt::format("r{}", ++calls));
  };

  shop::Carts::Client carts{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    const std::uint64_t cart_id = carts.CreateCart({}, options()).id;
    fmt::print("Created cart {}\n", cart_id);
    for (const shop::Item& item : {shop::Item{"apple", 2}, {"pear", 1}, {"pear", 9}, {"durian", 1}, {"fig", 2}}) {
      try {
        auto cart = carts.AddToCart({.cart_id = cart_id, .item = item}, options());
        fmt::print("Added {} {}: cart total {}\n", item.quantity, item.sku, money(cart.total_cents));
      } catch (const idlrpc::RpcError& e) {
        if (e.code() != idlrpc::StatusCode::NOT_FOUND && e.code() != idlrpc::StatusCode::FAILED_PRECONDITION) throw;
        fmt::print("Adding {} {} refused: {} ({})\n", item.quantity, item.sku, e.message(),
                   idlrpc::to_string(e.code()));
      }
    }
    const auto cart = carts.GetCart({.id = cart_id}, options());
    fmt::print("Cart {}:\n", cart.id);
    for (const auto& line : cart.lines) {
      fmt::print("  {} x {} at {} = {}\n", line.quantity, line.name, money(line.unit_price_cents),
                 money(line.line_total_cents));
    }
    fmt::print("  total {}\n", money(cart.total_cents));
    const auto order = carts.Checkout({.id = cart_id}, options());
    fmt::print("Checked out cart {}: {} items, {} paid\n", order.cart_id, order.item_count, money(order.total_cents));
  } catch (const idlrpc::RpcError& e) {
    fmt::print(stderr, "shop_client: {}\n", e.what());
    return 1;
  }
  return 0;
}
