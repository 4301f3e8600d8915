// users_server: the users service of the tutorials, with coroutine handlers.
//
//   users_server [--port 50054] [--slow]
//
// Signup is a unary call, GetUsers a server stream. --slow makes every
// handler wait a minute before it answers, longer than the client's
// 30-second deadline: the client fails with DEADLINE_EXCEEDED, and the
// handler, which the server cancels at that same deadline, stops waiting.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/server.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <mutex>
#include <vector>

#include "users.idl.h"

namespace {

namespace asio = boost::asio;
using idlrpc::StatusCode;

class UsersService final : public users::Users::AsyncService {
 public:
  explicit UsersService(std::chrono::seconds delay) : delay_(delay) {}

  idlrpc::Task<users::User> Signup(idlrpc::ServerContext& context, const users::SignupRequest& request) override {
    co_await answer_delay(context);
    if (request.name.empty()) throw idlrpc::Error(StatusCode::INVALID_ARGUMENT, "a name is required");
    if (request.email.find('@') == std::string::npos) {
      throw idlrpc::Error(StatusCode::INVALID_ARGUMENT, "not an email address: " + request.email);
    }
    // Handlers run on several I/O threads at once: the list needs a lock.
    // Never hold one across a co_await.
    std::lock_guard lock(mutex_);
    for (const auto& user : users_) {
      if (user.email == request.email) {
        throw idlrpc::Error(StatusCode::ALREADY_EXISTS, request.email + " already has an account");
      }
    }
    users_.push_back({.id = users_.size() + 1, .name = request.name, .email = request.email});
    fmt::print("Signup: user {} is {} <{}>\n", users_.back().id, request.name, request.email);
    std::fflush(stdout);
    co_return users_.back();
  }

  idlrpc::Task<void> GetUsers(idlrpc::ServerContext& context, const users::GetUsersRequest& request,
                              idlrpc::AsyncServerWriter<users::User>& writer) override {
    co_await answer_delay(context);
    std::vector<users::User> found;
    {
      std::lock_guard lock(mutex_);  // copy under the lock, write without it
      for (const auto& user : users_) {
        if (user.name.starts_with(request.name_prefix)) found.push_back(user);
      }
    }
    for (const auto& user : found) {
      if (!co_await writer.write(user)) co_return;  // the client went away
    }
  }

 private:
  // The --slow delay. A call that ends meanwhile (deadline passed, client
  // gone) cancels the coroutine, which ends the wait early.
  idlrpc::Task<void> answer_delay(idlrpc::ServerContext& context) {
    if (delay_.count() == 0) co_return;
    const auto start = idlrpc::Clock::now();
    asio::steady_timer timer(co_await asio::this_coro::executor, delay_);
    auto [error] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (error) {
      fmt::print("{}: call ended after {:.1f} s, gave up\n", context.method(),
                 std::chrono::duration<double>(idlrpc::Clock::now() - start).count());
      std::fflush(stdout);
      throw idlrpc::Error(StatusCode::CANCELLED, "gave up");  // nobody will read it
    }
  }

  const std::chrono::seconds delay_;
  std::mutex mutex_;
  std::vector<users::User> users_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the Users service."};
  std::uint16_t port = 50054;
  bool slow = false;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_flag("--slow", slow, "wait a minute before each answer (past the client's deadline)");
  CLI11_PARSE(app, argc, argv);

  UsersService service(slow ? std::chrono::seconds(60) : std::chrono::seconds(0));
  idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}});
  server.add_service(service);
  server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
  try {
    server.start();
  } catch (const std::exception& e) {
    fmt::print(stderr, "users_server: {}\n", e.what());
    return 1;
  }
  server.shutdown_on_signals();
  fmt::print("Users server{} listening on 0.0.0.0:{}\n", slow ? " (slow)" : "", server.port());
  std::fflush(stdout);
  server.wait();
  return 0;
}
