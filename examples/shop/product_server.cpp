// shop_product_server: the product service the cart service depends on.
//
//   shop_product_server [--port 50055] [--slow]
//
// Blocking handlers. Each call is printed with the request id and the
// deadline the cart service passed on. --slow makes each call wait 10 s
// first; a call that ends meanwhile (its deadline passed, its caller
// cancelled it) cuts the wait short.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/server.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

#include "shop.idl.h"

namespace {

using idlrpc::StatusCode;

class ProductService final : public shop::Products::Service {
 public:
  explicit ProductService(std::chrono::seconds delay) : delay_(delay) {}

  shop::Product GetProduct(idlrpc::ServerContext& context, const shop::ProductRequest& request) override {
    begin(context, "GetProduct(" + request.sku + ")");
    std::lock_guard lock(mutex_);
    return find(request.sku);
  }

  shop::TakeStockReply TakeStock(idlrpc::ServerContext& context, const shop::TakeStockRequest& request) override {
    begin(context, fmt::format("TakeStock({} items)", request.items.size()));
    std::lock_guard lock(mutex_);
    for (const auto& item : request.items) {  // check all, then take all
      const shop::Product& product = find(item.sku);
      if (product.stock < item.quantity) {
        throw idlrpc::Error(StatusCode::FAILED_PRECONDITION,
                            fmt::format("only {} {} left, not {}", product.stock, product.name, item.quantity));
      }
    }
    for (const auto& item : request.items) find(item.sku).stock -= item.quantity;
    return {};
  }

 private:
  shop::Product& find(const std::string& sku) {
    auto found = catalogue_.find(sku);
    if (found == catalogue_.end()) throw idlrpc::Error(StatusCode::NOT_FOUND, "no product " + sku);
    return found->second;
  }

  // Prints the call, then with --slow waits until the delay is over or the
  // call is cancelled (the context's stop token wakes the wait).
  void begin(const idlrpc::ServerContext& context, const std::string& call) {
    const auto request_id = context.client_metadata().get("x-request-id").value_or("none");
    const auto start = idlrpc::Clock::now();
    std::string deadline = "none";
    if (context.deadline()) {
      deadline = fmt::format("in {:.1f} s", std::chrono::duration<double>(*context.deadline() - start).count());
    }
    fmt::print("{} request-id={} deadline={}\n", call, request_id, deadline);
    std::fflush(stdout);
    if (delay_.count() == 0) return;

    std::mutex mutex;
    std::condition_variable_any never_notified;
    std::unique_lock lock(mutex);
    never_notified.wait_for(lock, context.cancellation(), delay_, [] { return false; });
    if (!context.is_cancelled()) return;
    // Cancelled by the caller, or its deadline passed: the same to us.
    fmt::print("{} request-id={}: call ended after {:.1f} s, gave up\n", call, request_id,
               std::chrono::duration<double>(idlrpc::Clock::now() - start).count());
    std::fflush(stdout);
    throw idlrpc::Error(StatusCode::CANCELLED, "gave up");  // nobody will read it
  }

  const std::chrono::seconds delay_;
  std::mutex mutex_;
  std::map<std::string, shop::Product> catalogue_ = {
      {"apple", {.sku = "apple", .name = "Apple", .price_cents = 50, .stock = 10}},
      {"pear", {.sku = "pear", .name = "Pear", .price_cents = 75, .stock = 5}},
      {"fig", {.sku = "fig", .name = "Fig", .price_cents = 120, .stock = 2}},
  };
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the shop's Products service."};
  std::uint16_t port = 50055;
  bool slow = false;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_flag("--slow", slow, "wait 10 s before each answer");
  unsigned drain_delay_ms = 0;
  app.add_option("--drain-delay", drain_delay_ms,
                 "on Ctrl-C or SIGTERM, answer NOT_SERVING (health) for this many ms before draining: "
                 "cart servers stop sending calls here first");
  CLI11_PARSE(app, argc, argv);

  ProductService service(std::chrono::seconds(slow ? 10 : 0));
  idlrpc::Server server(
      {.listen = {fmt::format("0.0.0.0:{}", port)}, .drain_delay = std::chrono::milliseconds(drain_delay_ms)});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "shop_product_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Product server{} listening on 0.0.0.0:{}\n", slow ? " (slow)" : "", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
