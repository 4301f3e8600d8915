// shop_cart_server: carts, checked against the product service.
//
//   shop_cart_server [--port 50056] [--products localhost:50055] [--lb round_robin]
//
// Coroutine handlers that call another service: while AddToCart and
// Checkout wait for the product service, no thread waits. The calls to it
// carry the caller's deadline and cancellation (CallOptions::from) and its
// "x-request-id"; if it cannot be reached the caller gets UNAVAILABLE with
// a message that names it.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>
#include <idlrpc/metrics.hpp>
#include <idlrpc/server.hpp>

#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>

#include "shop.idl.h"

namespace {

namespace asio = boost::asio;
using idlrpc::StatusCode;

class CartService final : public shop::Carts::AsyncService {
 public:
  explicit CartService(idlrpc::Channel products) : products_(std::move(products)) {}

  idlrpc::Task<shop::CartId> CreateCart(idlrpc::ServerContext&, const shop::CreateCartRequest&) override {
    std::lock_guard lock(mutex_);
    const std::uint64_t id = next_id_++;
    carts_[id] = {.id = id};
    co_return shop::CartId{.id = id};
  }

  idlrpc::Task<shop::Cart> AddToCart(idlrpc::ServerContext& context, const shop::AddToCartRequest& request) override {
    const shop::Item& item = request.item;
    if (item.quantity <= 0) throw idlrpc::Error(StatusCode::INVALID_ARGUMENT, "the quantity must be at least 1");
    int already = 0;
    for (const auto& line : copy_of(request.cart_id).lines) {
      if (line.sku == item.sku) already = line.quantity;
    }
    const shop::ProductRequest query{.sku = item.sku};
    const idlrpc::CallOptions options = on_behalf_of(context);
    shop::Product product;
    try {
      product = co_await products_.async_GetProduct(query, options, asio::use_awaitable);
    } catch (const idlrpc::RpcError& e) {
      throw dependency_error(e);
    }
    if (already + item.quantity > product.stock) {
      throw idlrpc::Error(StatusCode::FAILED_PRECONDITION, fmt::format("only {} {} left", product.stock, product.name));
    }

    std::lock_guard lock(mutex_);
    shop::Cart& cart = cart_locked(request.cart_id);  // again: it may have been checked out meanwhile
    auto line = std::find_if(cart.lines.begin(), cart.lines.end(), [&](auto& l) { return l.sku == item.sku; });
    if (line == cart.lines.end()) {
      line = cart.lines.insert(line, {.sku = product.sku, .name = product.name,
                                      .unit_price_cents = product.price_cents});
    }
    line->quantity += item.quantity;
    line->line_total_cents = line->quantity * line->unit_price_cents;
    cart.total_cents = 0;
    for (const auto& l : cart.lines) cart.total_cents += l.line_total_cents;
    co_return cart;
  }

  idlrpc::Task<shop::Cart> GetCart(idlrpc::ServerContext&, const shop::CartId& id) override {
    co_return copy_of(id.id);
  }

  idlrpc::Task<shop::Order> Checkout(idlrpc::ServerContext& context, const shop::CartId& id) override {
    shop::Cart cart = take_out(id.id);  // a second Checkout of this cart now finds none
    shop::TakeStockRequest take;
    for (const auto& line : cart.lines) take.items.push_back({.sku = line.sku, .quantity = line.quantity});
    const idlrpc::CallOptions options = on_behalf_of(context);
    try {
      if (take.items.empty()) throw idlrpc::Error(StatusCode::FAILED_PRECONDITION, "the cart is empty");
      co_await products_.async_TakeStock(take, options, asio::use_awaitable);
    } catch (const idlrpc::Error& e) {
      put_back(std::move(cart));  // not paid: the cart stays open
      throw dependency_error(e);
    }
    shop::Order order{.cart_id = cart.id, .total_cents = cart.total_cents};
    for (const auto& line : cart.lines) order.item_count += line.quantity;
    co_return order;
  }

 private:
  // Options for a call to the product service made on behalf of the call
  // `context` serves: the same deadline and cancellation, and request id.
  static idlrpc::CallOptions on_behalf_of(const idlrpc::ServerContext& context) {
    auto options = idlrpc::CallOptions::from(context);
    options.add_metadata("x-request-id", context.client_metadata().get("x-request-id").value_or("none"));
    return options;
  }

  // What this service answers when a product call failed. Its caller knows
  // nothing of the product service, so an UNAVAILABLE says which dependency;
  // the other codes (NOT_FOUND, FAILED_PRECONDITION, DEADLINE_EXCEEDED,
  // CANCELLED) mean the same to the caller and pass as they are.
  idlrpc::Error dependency_error(const idlrpc::Error& e) const {
    if (e.code() != StatusCode::UNAVAILABLE) return e;
    return idlrpc::Error(StatusCode::UNAVAILABLE, fmt::format("the product service ({}) is unavailable: {}",
                                                              products_.channel().target(), e.message()));
  }

  shop::Cart& cart_locked(std::uint64_t id) {
    auto found = carts_.find(id);
    if (found == carts_.end()) throw idlrpc::Error(StatusCode::NOT_FOUND, fmt::format("no open cart {}", id));
    return found->second;
  }
  shop::Cart copy_of(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    return cart_locked(id);
  }
  shop::Cart take_out(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    shop::Cart cart = std::move(cart_locked(id));
    carts_.erase(id);
    return cart;
  }
  void put_back(shop::Cart cart) {
    std::lock_guard lock(mutex_);
    carts_[cart.id] = std::move(cart);
  }

  shop::Products::Client products_;
  std::mutex mutex_;  // handlers run on several I/O threads; never held across co_await
  std::map<std::uint64_t, shop::Cart> carts_;
  std::uint64_t next_id_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the shop's Carts service."};
  std::uint16_t port = 50056;
  std::string products = "localhost:50055";
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_option("--products", products,
                 "the product service: host:port, unix:/path, or its replicas as dns:///name:port, "
                 "ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the product service's replicas")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  CLI11_PARSE(app, argc, argv);

  // One set of metrics for both sides: the calls this server answers and
  // the calls it makes to the product service, on /metrics.
  auto metrics = std::make_shared<idlrpc::Metrics>();
  // Health-aware: a product replica that reports NOT_SERVING (shutting
  // down with --drain-delay, say) gets no new calls (docs/scaling.md).
  CartService service{idlrpc::Channel(products, {.interceptors = {metrics->client_interceptor()},
                                                 .lb_policy = idlrpc::lb_policy_from_name(lb),
                                                 .health_check_service = "shop.Products"})};
  idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}, .metrics = metrics});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "shop_cart_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Cart server (products at {}) listening on 0.0.0.0:{}\n", products, server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
