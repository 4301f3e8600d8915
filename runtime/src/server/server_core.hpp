// Everything a running Server owns: the method table, the I/O threads (one
// io_context each, so a connection lives on exactly one thread), the
// worker pool for blocking handlers, the listeners and the live
// connections, plus the shutdown sequence.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/basic_socket_acceptor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "idlrpc/health.hpp"
#include "idlrpc/server.hpp"
#include "idlrpc/service.hpp"
#include "server/handler_threads.hpp"
#include "server/http_endpoints.hpp"
#include "server/worker_pool.hpp"
#include "server/server_connection.hpp"
#include "transport/connection.hpp"
#include "transport/tls_context.hpp"

namespace idlrpc::detail {

class HealthState;

class ServerConnection;

class ServerCore {
 public:
  explicit ServerCore(ServerOptions options);
  ~ServerCore();

  // Configuration, before start().
  void listen(std::string address);
  void add_service(ServiceDefinition definition);

  void start();
  std::uint16_t port(std::size_t index) const;
  void shutdown(std::chrono::milliseconds grace);
  void wait();
  void shutdown_on_signals(std::chrono::milliseconds grace);

  // For connections and calls (any thread).
  const ServerOptions& options() const noexcept { return options_; }
  const MethodEntry* find_method(std::string_view path) const;
  WorkerPool& workers() { return *workers_; }
  /// Where blocking streaming handlers run (see handler_threads.hpp).
  HandlerThreads& stream_handlers() { return *stream_handlers_; }
  /// Whether the input all connections hold is past max_buffered_input_bytes.
  bool input_budget_exhausted() const noexcept {
    return input_total_->load(std::memory_order_relaxed) > options_.max_buffered_input_bytes;
  }
  void connection_closed(ServerConnection* connection);
  /// The TLS contexts, or null when the server has no TLS.
  ServerTlsContexts* tls() noexcept { return tls_.get(); }
  bool reload_tls();
  /// What HTTP requests get (server/http_endpoints.hpp); after start().
  const HttpEndpoints& http_endpoints() const noexcept { return *http_endpoints_; }

  // Health (Server::enable_health), before start().
  Health* health() noexcept { return health_ ? &*health_ : nullptr; }
  Health& set_health(std::shared_ptr<HealthState> state, std::unique_ptr<Service> service);

 private:
  struct Listener {
    std::string address;
    ListenerRole role = ListenerRole::kCalls;
    std::string unix_path;  // removed at shutdown
    std::uint16_t port = 0;
    std::unique_ptr<boost::asio::basic_socket_acceptor<boost::asio::generic::stream_protocol>> acceptor;
    // Out of file descriptors: accepting pauses (see accept()).
    std::unique_ptr<boost::asio::steady_timer> backoff;
    bool failing = false;  // logged once per episode of failures
  };
  // kNotServing: shutdown() has set the health statuses to NOT_SERVING and
  // waits ServerOptions::drain_delay, still accepting and serving.
  enum class State { kCreated, kRunning, kNotServing, kStopping, kStopped };

  void bind(Listener& listener);
  void accept(Listener& listener);
  void on_accept_failed(Listener& listener, const boost::system::error_code& error);
  void on_accepted(Connection::Socket socket, ListenerRole role);
  /// Between NOT_SERVING and the drain: ServerOptions::drain_delay.
  void delay_drain(std::unique_lock<std::mutex>& lock);
  template <class Fn>
  void for_each_connection(Fn fn);

  ServerOptions options_;
  // options_.poll_before_sleep, as the I/O loops read it (io_loop.hpp).
  std::atomic<std::int64_t> poll_before_sleep_us_;
  std::vector<ServiceDefinition> services_;
  std::unordered_map<std::string_view, const MethodEntry*> methods_;  // views into services_

  std::vector<std::unique_ptr<boost::asio::io_context>> io_;
  std::vector<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> io_work_;
  std::vector<std::thread> io_threads_;
  std::size_t next_io_ = 0;  // round robin for new connections (accept thread only)
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<HandlerThreads> stream_handlers_;
  std::unique_ptr<ServerTlsContexts> tls_;
  std::shared_ptr<HealthState> health_state_;
  std::unique_ptr<Service> health_service_;
  std::optional<Health> health_;
  std::unique_ptr<HttpEndpoints> http_endpoints_;
  std::shared_ptr<InputTotal> input_total_ = std::make_shared<InputTotal>(0);
  // Lines about closed connections: a flood of bad peers must not flood the log.
  std::shared_ptr<LogRateLimit> close_log_limit_ = std::make_shared<LogRateLimit>(20);
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::unique_ptr<boost::asio::signal_set> signals_;
  std::thread signal_shutdown_;

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  State state_ = State::kCreated;
  std::chrono::steady_clock::time_point last_trim_{};
  std::unordered_map<ServerConnection*, std::weak_ptr<ServerConnection>> connections_;
};

}  // namespace idlrpc::detail
