#include "client/subchannel.hpp"

#include <utility>

#include <boost/asio/connect.hpp>
#include <idlrpc/health/v1/health.idl.messages.h>
#include <fmt/format.h>

#include "client/channel_core.hpp"
#include "idlrpc/detail/contract.hpp"
#include "log.hpp"
#include "transport/tls_stream.hpp"

namespace idlrpc::detail {

Subchannel::Subchannel(std::string name, Address address, const ChannelOptions& options, SubchannelTls tls,
                       std::shared_ptr<ClientKeepalive> keepalive, boost::asio::any_io_executor executor,
                       std::weak_ptr<ChannelCore> channel)
    : name_(std::move(name)),
      address_(std::move(address)),
      options_(options),
      tls_(std::move(tls)),
      keepalive_(std::move(keepalive)),
      executor_(std::move(executor)),
      channel_(std::move(channel)) {}

Subchannel::~Subchannel() {
  // Whatever connection is left belongs to nobody now: retire() already
  // let a drained one finish; anything else closes. No call of the
  // application is left on a ready one (calls hold the channel, whose
  // end destroys us); the health watch's CANCEL goes out before the close.
  if (auto* ready = std::get_if<Ready>(&state_)) {
    ready->watch.reset();
    ready->connection->close_after_flush();
  }
  if (auto* connecting = std::get_if<Connecting>(&state_); connecting != nullptr && connecting->connection) {
    connecting->connection->close("");
  }
}

std::optional<Subchannel::Health> Subchannel::accepting_health() const noexcept {
  const auto* ready = std::get_if<Ready>(&state_);
  if (ready == nullptr || !ready->connection->accepting_calls()) return std::nullopt;
  return ready->health;
}

bool Subchannel::ready() const noexcept { return accepting_health() == Health::kServing; }

bool Subchannel::connecting() const noexcept {
  return std::holds_alternative<Connecting>(state_) || accepting_health() == Health::kChecking;
}

bool Subchannel::unhealthy() const noexcept { return accepting_health() == Health::kNotServing; }

const std::string& Subchannel::unhealthy_reason() const {
  IDLRPC_ASSERT(unhealthy());
  return std::get<Ready>(state_).unhealthy_reason;
}

bool Subchannel::idle() const noexcept {
  const auto* ready = std::get_if<Ready>(&state_);
  return std::holds_alternative<Idle>(state_) || (ready != nullptr && !ready->connection->accepting_calls());
}

const std::string& Subchannel::failure() const {
  IDLRPC_ASSERT(failed());
  return std::get<TransientFailure>(state_).failure;
}

std::chrono::steady_clock::time_point Subchannel::retry_after() const {
  IDLRPC_ASSERT(failed());
  return std::get<TransientFailure>(state_).retry_after;
}

Subchannel::Connecting* Subchannel::attempt_in_progress(std::uint64_t attempt) noexcept {
  auto* connecting = std::get_if<Connecting>(&state_);
  return connecting != nullptr && connecting->attempt == attempt ? connecting : nullptr;
}

std::chrono::milliseconds Subchannel::next_backoff(std::chrono::milliseconds last) const noexcept {
  return last.count() == 0 ? options_.initial_backoff : std::min(last * 2, options_.max_backoff);
}

void Subchannel::changed(bool lost) {
  if (auto channel = channel_.lock(); channel && !retired_) channel->on_subchannel_changed(*this, lost);
}

void Subchannel::open(std::shared_ptr<ClientCall> call) {
  IDLRPC_ASSERT(ready());
  auto connection = std::get<Ready>(state_).connection;  // open() may change the state
  connection->open(std::move(call));
}

void Subchannel::retire() {
  retired_ = true;
  if (auto* ready = std::get_if<Ready>(&state_)) {
    ready->connection->retire();
    state_ = Idle{};  // the connection drains on its own
    return;
  }
  if (auto* connecting = std::get_if<Connecting>(&state_)) {
    boost::system::error_code ignored;
    connecting->socket->close(ignored);
    if (connecting->connection) connecting->connection->close("");
  }
  state_ = Idle{};
}

void Subchannel::connect() {
  if (!idle() || retired_) return;
  state_ = Idle{};  // a closed ready connection is dropped (it drains or is gone)
  const std::uint64_t attempt = ++attempts_;
  Connecting connecting{attempt, std::make_unique<boost::asio::steady_timer>(executor_, options_.connect_timeout),
                        std::make_shared<Socket>(executor_), nullptr};
  // Weak: a subchannel dropped while connecting goes away at once (its
  // destructor closes the connection) instead of living until the timeout.
  connecting.timeout->async_wait([weak = weak_from_this(), attempt](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (error || !self) return;
    auto* connecting = self->attempt_in_progress(attempt);
    if (connecting == nullptr) return;
    boost::system::error_code ignored;
    connecting->socket->close(ignored);  // a connect in progress completes with operation_aborted
    self->connect_failed(fmt::format("no connection within {} ms", self->options_.connect_timeout.count()));
  });
  state_ = std::move(connecting);
  resolve_endpoints(address_, executor_,
                    [self = shared_from_this(), attempt](std::string error, std::vector<Endpoint> endpoints) {
                      self->on_resolved(attempt, std::move(error), std::move(endpoints));
                    });
}

void Subchannel::on_resolved(std::uint64_t attempt, std::string error, std::vector<Endpoint> endpoints) {
  auto* connecting = attempt_in_progress(attempt);
  if (connecting == nullptr) return;
  if (!error.empty()) {
    connect_failed(error);
    return;
  }
  boost::asio::async_connect(*connecting->socket, endpoints,
                             [self = shared_from_this(), attempt, socket = connecting->socket](
                                 const boost::system::error_code& error, const Endpoint&) {
                               self->on_connected(attempt, socket, error);
                             });
}

void Subchannel::on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket,
                              const boost::system::error_code& error) {
  auto* connecting = attempt_in_progress(attempt);
  if (connecting == nullptr) return;
  if (error) {
    connect_failed(error.message());
    return;
  }
  set_no_delay(*socket);
  // Read now, so a connection made after a too_many_pings gets the doubled time.
  const KeepaliveSettings keepalive = keepalive_->settings();
  // A write stuck behind a dead network fails within the ping timeout too.
  if (keepalive.enabled()) set_user_timeout(*socket, keepalive.timeout);
  boost::system::error_code ignored;
  std::string peer = name_;
  if (auto endpoint = socket->remote_endpoint(ignored); !ignored) peer = to_string(endpoint);
  ConnectionSettings local;
  local.max_message_bytes = options_.max_message_bytes;
  local.window_bytes = options_.stream_window_bytes;
  local.connection_window_bytes = options_.connection_window_bytes;
  local.max_concurrent_streams = 0;  // a client accepts no calls from the server
  ConnectionPolicy policy;
  policy.max_write_queue_bytes = options_.max_write_queue_bytes;
  policy.keepalive = keepalive;
  connecting->connection = std::make_shared<ClientConnection>(std::move(*socket), std::move(peer), local,
                                                              std::move(policy), weak_from_this(), keepalive_);
  if (tls_.context) {
    std::string server_name = tls_.server_name;
    if (const auto* tcp = std::get_if<TcpAddress>(&address_); tcp != nullptr && server_name.empty()) {
      server_name = tcp->host;
    }
    connecting->connection->use_tls(std::make_unique<TlsStream>(connecting->connection->socket(), tls_.context,
                                                                std::move(server_name), tls_.verify_hostname));
  }
  connecting->connection->start();
}

void Subchannel::on_connection_ready(ClientConnection& connection) {
  auto* connecting = std::get_if<Connecting>(&state_);
  if (connecting == nullptr || connecting->connection.get() != &connection) {
    connection.close("");  // an attempt given up on (timeout, retired)
    return;
  }
  auto connected = std::move(connecting->connection);
  state_ = Ready{std::move(connected)};  // ends the connect timeout
  backoff_ = std::chrono::milliseconds(0);
  health_backoff_ = std::chrono::milliseconds(0);
  if (options_.health_check_service) watch_health(std::get<Ready>(state_));
  changed(false);
}

void Subchannel::watch_health(Ready& ready) {
  auto channel = channel_.lock();
  if (!channel) return;
  ready.health = Health::kChecking;
  ready.rewatch.reset();
  // The report names its connection: the watch of a connection since
  // replaced must not speak for the new one (it is destroyed with its
  // Ready state, so this is a contract check).
  ready.watch = std::make_unique<HealthWatch>(
      channel, *ready.connection, *options_.health_check_service,
      [weak = weak_from_this(), connection = ready.connection.get()](HealthWatch::Event event) {
        if (auto self = weak.lock()) self->on_health(connection, std::move(event));
      });
}

void Subchannel::on_health(const ClientConnection* connection, HealthWatch::Event event) {
  auto* ready = std::get_if<Ready>(&state_);
  IDLRPC_ASSERT(ready != nullptr && ready->connection.get() == connection);
  const std::string& service = *options_.health_check_service;
  const std::string quoted = service.empty() ? std::string("the server") : fmt::format("service \"{}\"", service);
  if (const auto* reported = std::get_if<HealthWatch::Reported>(&event)) {
    health_backoff_ = std::chrono::milliseconds(0);  // the server answers: the next watch starts at once
    const Health health = reported->status == ServingStatus::SERVING ? Health::kServing : Health::kNotServing;
    const bool was = ready->health == health;
    ready->health = health;
    ready->unhealthy_reason =
        health == Health::kServing
            ? std::string()
            : fmt::format("{} reports {} for {}", name_, health::v1::enum_name(reported->status), quoted);
    if (!was) changed(false);
    return;
  }
  const auto& ended = std::get<HealthWatch::Ended>(event);
  ready->watch.reset();  // safe: the watch is done reporting (Ended is last)
  if (ended.code == StatusCode::UNIMPLEMENTED) {
    // gRFC A17: a server without the health service is taken as healthy,
    // so turning checks on never cuts off an older server.
    if (!std::exchange(warned_unimplemented_, true)) {
      log(LogLevel::kWarning, "{} has no health service; its calls go on unchecked (health_check_service is set)",
          name_);
    }
    ready->health = Health::kServing;
    ready->unhealthy_reason.clear();
    changed(false);
    return;
  }
  // Any other end (the server shutting down ends its watches with OK after
  // NOT_SERVING): no calls until a new watch hears SERVING.
  if (ready->health != Health::kNotServing || ready->unhealthy_reason.empty()) {
    ready->unhealthy_reason = fmt::format("{}: health watch of {} ended: {}: {}", name_, quoted,
                                          to_string(ended.code), ended.message);
  }
  ready->health = Health::kNotServing;
  health_backoff_ = next_backoff(health_backoff_);
  ready->rewatch = std::make_unique<boost::asio::steady_timer>(executor_, health_backoff_);
  ready->rewatch->async_wait([weak = weak_from_this(), connection](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (error || !self) return;
    auto* now = std::get_if<Ready>(&self->state_);
    if (now == nullptr || now->connection.get() != connection || !now->connection->accepting_calls()) return;
    self->watch_health(*now);
    self->changed(false);
  });
  changed(false);
}

void Subchannel::on_connection_retired(ClientConnection& connection) {
  // Calls in flight finish on it; new calls need a fresh connection.
  if (auto* ready = std::get_if<Ready>(&state_); ready != nullptr && ready->connection.get() == &connection) {
    state_ = Idle{};
    changed(true);
  }
}

void Subchannel::on_connection_lost(ClientConnection& connection, const std::string& reason) {
  if (auto* connecting = std::get_if<Connecting>(&state_);
      connecting != nullptr && connecting->connection.get() == &connection) {
    connect_failed("handshake failed: " + reason);
    return;
  }
  on_connection_retired(connection);  // the next call reconnects at once
}

void Subchannel::connect_failed(const std::string& reason) {
  auto* connecting = std::get_if<Connecting>(&state_);
  IDLRPC_ASSERT(connecting != nullptr);
  auto connection = std::move(connecting->connection);
  backoff_ = next_backoff(backoff_);
  TransientFailure failure{std::chrono::steady_clock::now() + backoff_, reason,
                           std::make_unique<boost::asio::steady_timer>(executor_)};
  failure.timer->expires_at(failure.retry_after);
  failure.timer->async_wait([weak = weak_from_this()](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (error || !self || !self->failed()) return;
    self->state_ = Idle{};  // may try again
    self->changed(false);
  });
  state_ = std::move(failure);
  if (connection) connection->close("");  // its on_closed finds it is no longer ours
  changed(false);
}

}  // namespace idlrpc::detail
