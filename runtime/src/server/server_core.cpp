#include "server/server_core.hpp"

#include <malloc.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "health/health_state.hpp"
#include "idlrpc/detail/contract.hpp"
#include "idlrpc/metrics.hpp"
#include "log.hpp"
#include "server/server_connection.hpp"
#include "transport/address.hpp"
#include "transport/io_loop.hpp"

namespace idlrpc::detail {
namespace {

// Freed memory goes back to the system at most this often.
constexpr std::chrono::seconds kTrimInterval{1};
// How long accepting pauses when the process is out of file descriptors.
constexpr std::chrono::milliseconds kAcceptBackoff{500};
// How long the oldest queued blocking unary call waits, while the running
// workers take no call (they are blocked), before another thread takes it
// (worker_pool.hpp): what a handler that blocks costs the calls behind it.
constexpr std::chrono::microseconds kWorkerStall{2000};

unsigned or_default(unsigned value, unsigned fallback) { return value != 0 ? value : fallback; }

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define IDLRPC_SANITIZER_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define IDLRPC_SANITIZER_ALLOCATOR 1
#endif
#endif

// Returns glibc's free heap memory to the system. Under ASan or TSan the
// sanitizer owns the heap and glibc's arenas were never set up: malloc_trim
// then walks uninitialised arena state and can crash (it did, once in a
// CI run, on a worker thread), so there is nothing to give back and we
// do not call it.
void give_back_free_memory() {
#ifndef IDLRPC_SANITIZER_ALLOCATOR
  malloc_trim(0);
#endif
}

}  // namespace

ServerCore::ServerCore(ServerOptions options)
    : options_(std::move(options)), poll_before_sleep_us_(options_.poll_before_sleep.count()) {
  IDLRPC_REQUIRE(options_.poll_before_sleep.count() >= 0, "ServerOptions::poll_before_sleep must not be negative");
  // First in the chain: its on_end runs last, so a call's recorded
  // duration includes every other interceptor.
  if (options_.metrics) options_.interceptors.insert(options_.interceptors.begin(), options_.metrics->server_interceptor());
}

Health& ServerCore::set_health(std::shared_ptr<HealthState> state, std::unique_ptr<Service> service) {
  std::lock_guard lock(mutex_);
  if (state_ != State::kCreated) throw std::logic_error("Server::enable_health after start()");
  health_state_ = std::move(state);
  health_service_ = std::move(service);
  health_.emplace(health_state_);
  return *health_;
}

ServerCore::~ServerCore() {
  shutdown(std::chrono::milliseconds(0));
  if (signal_shutdown_.joinable()) signal_shutdown_.join();
}

void ServerCore::listen(std::string address) {
  std::lock_guard lock(mutex_);
  if (state_ != State::kCreated) throw std::logic_error("Server::listen after start()");
  options_.listen.push_back(std::move(address));
}

void ServerCore::add_service(ServiceDefinition definition) {
  std::lock_guard lock(mutex_);
  if (state_ != State::kCreated) throw std::logic_error("Server::add_service after start()");
  for (const auto& service : services_) {
    for (const auto& existing : service.methods()) {
      for (const auto& added : definition.methods()) {
        if (existing.info.path == added.info.path) {
          throw std::invalid_argument(fmt::format("method {} is registered twice", added.info.path));
        }
      }
    }
  }
  services_.push_back(std::move(definition));
}

const MethodEntry* ServerCore::find_method(std::string_view path) const {
  auto it = methods_.find(path);
  return it == methods_.end() ? nullptr : it->second;
}

void ServerCore::start() {
  std::lock_guard lock(mutex_);
  if (state_ != State::kCreated) throw std::logic_error("Server::start called twice");
  if (options_.listen.empty()) throw std::invalid_argument("Server::start: no address to listen on");
  for (const auto& service : services_) {
    for (const auto& method : service.methods()) methods_.emplace(method.info.path, &method);
  }
  // Certificates are checked before anything runs: a bad file fails start().
  if (options_.tls) tls_ = std::make_unique<ServerTlsContexts>(*options_.tls);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned io_threads = or_default(options_.io_threads, cores);
  for (unsigned i = 0; i < io_threads; ++i) {
    io_.push_back(std::make_unique<boost::asio::io_context>(1));
    io_work_.emplace_back(io_.back()->get_executor());
  }
  // Blocking unary handlers: as many at once as the cores the I/O threads
  // leave, more when one blocks (worker_pool.hpp).
  workers_ = std::make_unique<WorkerPool>(or_default(options_.worker_threads, std::max(8u, 4 * cores)),
                                          cores > io_threads ? cores - io_threads : 1, kWorkerStall,
                                          options_.poll_before_sleep);
  stream_handlers_ = std::make_unique<HandlerThreads>(options_.max_blocking_stream_handlers);
  // Bind everything before starting threads, so a failure leaves nothing running.
  auto bind_all = [this](const std::vector<std::string>& addresses, ListenerRole role) {
    for (const auto& address : addresses) {
      auto listener = std::make_unique<Listener>();
      listener->address = address;
      listener->role = role;
      bind(*listener);
      listeners_.push_back(std::move(listener));
    }
  };
  bind_all(options_.listen, options_.http.on_listen_addresses ? ListenerRole::kCallsAndHttp : ListenerRole::kCalls);
  bind_all(options_.http.listen, ListenerRole::kHttpOnly);
  http_endpoints_ = std::make_unique<HttpEndpoints>(health_state_, options_.metrics, [this] {
    std::lock_guard lock(mutex_);
    return state_ == State::kRunning;
  });
  if (health_state_) {
    health_state_->set_if_unset("", ServingStatus::SERVING);
    for (const auto& service : services_) health_state_->set_if_unset(service.name(), ServingStatus::SERVING);
  }
  for (auto& io : io_) io_threads_.emplace_back([this, &io = *io] { run_io_loop(io, poll_before_sleep_us_); });
  for (auto& listener : listeners_) {
    boost::asio::post(*io_.front(), [this, l = listener.get()] { accept(*l); });
  }
  state_ = State::kRunning;
}

void ServerCore::bind(Listener& listener) {
  const Address address = parse_address(listener.address);
  const Endpoint endpoint = listen_endpoint(address, io_.front()->get_executor());
  if (const auto* unix_address = std::get_if<UnixAddress>(&address)) listener.unix_path = unix_address->path;
  using Acceptor = boost::asio::basic_socket_acceptor<boost::asio::generic::stream_protocol>;
  listener.acceptor = std::make_unique<Acceptor>(*io_.front());
  boost::system::error_code error;
  auto& acceptor = *listener.acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error && std::holds_alternative<TcpAddress>(address)) acceptor.set_option(boost::asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(boost::asio::socket_base::max_listen_connections, error);
  if (error) throw std::system_error(error, "cannot listen on " + listener.address);
  listener.port = port_of(acceptor.local_endpoint());
}

std::uint16_t ServerCore::port(std::size_t index) const {
  std::lock_guard lock(mutex_);
  if (index >= listeners_.size()) throw std::out_of_range("Server::port: no such listen address (or not started)");
  return listeners_[index]->port;
}

void ServerCore::accept(Listener& listener) {
  auto& io = *io_[next_io_++ % io_.size()];
  listener.acceptor->async_accept(
      boost::asio::any_io_executor(io.get_executor()),
      [this, &listener](const boost::system::error_code& error, Connection::Socket socket) {
        if (error == boost::asio::error::operation_aborted || !listener.acceptor->is_open()) return;
        if (error) {
          on_accept_failed(listener, error);
          return;
        }
        if (listener.failing) {
          listener.failing = false;
          log(LogLevel::kInfo, "accepting on {} again", listener.address);
        }
        on_accepted(std::move(socket), listener.role);
        accept(listener);
      });
}

void ServerCore::on_accept_failed(Listener& listener, const boost::system::error_code& error) {
  // Out of descriptors or memory, the pending connection stays in the
  // backlog and accept fails again at once: retrying in a loop would burn
  // a core and flood the log. Pause instead (nginx: 500 ms), and log once
  // per episode. Anything else (a peer that reset before we accepted) is
  // the peer's and retried at once.
  const int code = error.value();
  const bool exhausted = error.category() == boost::system::system_category() &&
                         (code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM);
  if (!exhausted) {
    accept(listener);
    return;
  }
  if (!listener.failing) {
    listener.failing = true;
    log(LogLevel::kWarning, "accept on {} failed: {}; pausing accepts for {} ms at a time until one succeeds",
        listener.address, error.message(), kAcceptBackoff.count());
  }
  if (!listener.backoff) listener.backoff = std::make_unique<boost::asio::steady_timer>(*io_.front());
  listener.backoff->expires_after(kAcceptBackoff);
  listener.backoff->async_wait([this, &listener](const boost::system::error_code& wait_error) {
    if (!wait_error && listener.acceptor->is_open()) accept(listener);
  });
}

void ServerCore::on_accepted(Connection::Socket socket, ListenerRole role) {
  boost::system::error_code ignored;
  std::string peer = "(unknown peer)";
  if (auto endpoint = socket.remote_endpoint(ignored); !ignored) peer = to_string(endpoint);
  set_no_delay(socket);
  // A write stuck behind a dead network fails within the ping timeout too.
  if (options_.keepalive_time.count() > 0) set_user_timeout(socket, options_.keepalive_timeout);

  ConnectionSettings settings;
  settings.max_message_bytes = options_.max_message_bytes;
  settings.max_concurrent_streams = options_.max_concurrent_calls_per_connection;
  settings.window_bytes = options_.stream_window_bytes;
  settings.connection_window_bytes = options_.connection_window_bytes;
  ConnectionPolicy policy;
  policy.max_write_queue_bytes = options_.max_write_queue_bytes;
  policy.pause_reading_when_backlogged = true;
  policy.max_queued_control_frames = options_.max_queued_control_frames;
  policy.frame_progress_timeout = options_.frame_progress_timeout;
  policy.input_total = input_total_;
  policy.close_log_limit = close_log_limit_;
  // A server pings a silent client whether or not it has calls open.
  policy.keepalive = KeepaliveSettings{options_.keepalive_time, options_.keepalive_timeout, true};
  auto executor = socket.get_executor();
  auto connection = std::make_shared<ServerConnection>(std::move(socket), peer, settings, std::move(policy), *this);
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::kRunning && state_ != State::kNotServing) return;  // the socket closes with `connection`
    if (connections_.size() >= options_.max_connections) {
      log(LogLevel::kWarning, "connection from {} refused: the server has {} connections (limit)", peer,
          connections_.size());
      return;
    }
    connections_.emplace(connection.get(), connection);
  }
  // Start it on its own I/O thread; this is the accepting thread.
  boost::asio::post(executor, [connection, role] { connection->begin(role); });
}

void ServerCore::connection_closed(ServerConnection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
  changed_.notify_all();
  // What a connection held (its calls, frames, a handler thread's arena)
  // goes back to the allocator, which keeps it: after a burst or an attack
  // the process would stay at its peak. Give it back to the system, at most
  // once a second, on a worker rather than this I/O thread.
  const auto now = std::chrono::steady_clock::now();
  if (state_ == State::kRunning && now - last_trim_ >= kTrimInterval) {
    last_trim_ = now;
    workers_->post(give_back_free_memory);
  }
}

template <class Fn>
void ServerCore::for_each_connection(Fn fn) {
  std::vector<std::shared_ptr<ServerConnection>> live;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, weak] : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
  }
  for (auto& connection : live) {
    boost::asio::post(connection->executor(), [connection, fn] { fn(*connection); });
  }
}

void ServerCore::shutdown(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    if (state_ == State::kCreated) {
      state_ = State::kStopped;
      changed_.notify_all();
      return;
    }
    if (state_ != State::kRunning) {
      changed_.wait(lock, [this] { return state_ == State::kStopped; });
      return;
    }
    delay_drain(lock);
    state_ = State::kStopping;
  }
  // 1. No new connections.
  boost::asio::post(*io_.front(), [this] {
    for (auto& listener : listeners_) {
      boost::system::error_code ignored;
      listener->acceptor->close(ignored);
      if (listener->backoff) listener->backoff->cancel();
    }
    // signals_ stays armed: a second signal during the grace period ends
    // the process at once (shutdown_on_signals).
  });
  // 2. No new calls; calls in flight may finish within the grace period.
  for_each_connection([](ServerConnection& connection) { connection.drain(); });
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, grace, [this] { return connections_.empty(); });
  // 3. Cancel what is left. Closing flushes the trailers first, unless the
  // peer stops reading; then the connection is dropped after a second.
  lock.unlock();
  for_each_connection([](ServerConnection& connection) { connection.abort("server is shutting down"); });
  lock.lock();
  if (!changed_.wait_for(lock, std::chrono::seconds(1), [this] { return connections_.empty(); })) {
    lock.unlock();
    for_each_connection([](ServerConnection& connection) { connection.close("server shut down before it could write to the peer"); });
    lock.lock();
    changed_.wait_for(lock, std::chrono::seconds(1), [this] { return connections_.empty(); });
  }
  lock.unlock();
  // 4. Blocking handlers of cancelled calls see is_cancelled(); wait for them.
  workers_->join();
  stream_handlers_->join();
  // 5. Stop the I/O threads.
  for (auto& work : io_work_) work.reset();
  for (auto& io : io_) io->stop();
  for (auto& thread : io_threads_) thread.join();
  for (auto& listener : listeners_) {
    std::error_code ignored;
    if (!listener->unix_path.empty()) std::filesystem::remove(listener->unix_path, ignored);
  }
  lock.lock();
  state_ = State::kStopped;
  changed_.notify_all();
}

void ServerCore::delay_drain(std::unique_lock<std::mutex>& lock) {
  // 0. Tell load balancers first: health statuses (Watch, /readyz) turn
  // NOT_SERVING while calls are still served and new connections accepted.
  state_ = State::kNotServing;
  if (health_state_) health_state_->shut_down();
  if (options_.drain_delay.count() > 0) {
    log(LogLevel::kInfo, "shutting down: NOT_SERVING for {} ms before draining (drain_delay)",
        options_.drain_delay.count());
    const auto until = std::chrono::steady_clock::now() + options_.drain_delay;
    while (changed_.wait_until(lock, until) != std::cv_status::timeout) {
    }
  }
}

bool ServerCore::reload_tls() {
  if (!tls_) throw std::logic_error("Server::reload_tls: the server has no TLS (or is not started)");
  return tls_->reload();
}

void ServerCore::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return state_ == State::kStopped; });
}

void ServerCore::shutdown_on_signals(std::chrono::milliseconds grace) {
  std::lock_guard lock(mutex_);
  if (state_ != State::kRunning) throw std::logic_error("Server::shutdown_on_signals before start()");
  signals_ = std::make_unique<boost::asio::signal_set>(*io_.front(), SIGINT, SIGTERM);
  signals_->async_wait([this, grace](const boost::system::error_code& error, int signal) {
    if (error) return;
    log(LogLevel::kInfo, "signal {}: shutting down (grace {} ms); another signal ends the process at once", signal,
        grace.count());
    // shutdown() joins the I/O threads, this one included: run it elsewhere.
    signal_shutdown_ = std::thread([this, grace] { shutdown(grace); });
    // The user who presses Ctrl-C again does not want to wait for the grace
    // period (calls may be stuck). The process ends as a shell reports a
    // death by that signal, 128 + its number, without running destructors:
    // they would wait for the very calls the user gave up on.
    signals_->async_wait([](const boost::system::error_code& again, int second) {
      if (again) return;
      log(LogLevel::kWarning, "signal {} during shutdown: exiting at once with status {}", second, 128 + second);
      std::_Exit(128 + second);
    });
  });
}

}  // namespace idlrpc::detail
