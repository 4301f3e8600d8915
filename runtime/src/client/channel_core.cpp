#include "client/channel_core.hpp"

#include <stdexcept>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "client/client_runtime.hpp"
#include "idlrpc/detail/contract.hpp"
#include "idlrpc/detail/status_messages.hpp"
#include "transport/tls_context.hpp"
#include "transport/tls_stream.hpp"

namespace idlrpc::detail {
namespace {

constexpr std::string_view kTlsScheme = "tls://";

}  // namespace

ChannelCore::ChannelCore(std::string target, const ChannelOptions& options)
    : target_(std::move(target)), options_(options), executor_(client_executor()) {
  std::string_view address = target_;
  if (address.starts_with(kTlsScheme)) {
    address.remove_prefix(kTlsScheme.size());
    if (!options_.tls) options_.tls.emplace();
  }
  // Unusable settings fail each call with the reason, as a malformed target does.
  try {
    address_ = parse_address(address);
    if (options_.tls) {
      tls_context_ = make_client_context(*options_.tls);
      tls_server_name_ = options_.tls->server_name;
      if (const auto* tcp = std::get_if<TcpAddress>(&std::get<Address>(address_)); tcp && tls_server_name_.empty()) {
        tls_server_name_ = tcp->host;
      }
    }
  } catch (const std::invalid_argument& e) {
    address_ = std::string(e.what());
  }
}

ChannelCore::~ChannelCore() {
  // The last handle is gone and no call holds us: nobody can use the
  // connection any more. It belongs to the I/O thread, so close it there.
  std::shared_ptr<ClientConnection> connection;
  if (auto* ready = std::get_if<Ready>(&state_)) connection = std::move(ready->connection);
  if (auto* connecting = std::get_if<Connecting>(&state_)) connection = std::move(connecting->connection);
  if (connection) {
    boost::asio::post(executor_, [connection = std::move(connection)] { connection->close(""); });
  }
}

ChannelCore::Connecting* ChannelCore::attempt_in_progress(std::uint64_t attempt) noexcept {
  auto* connecting = std::get_if<Connecting>(&state_);
  return connecting != nullptr && connecting->attempt == attempt ? connecting : nullptr;
}

void ChannelCore::submit(std::shared_ptr<ClientCall> call) {
  if (const auto* malformed = std::get_if<std::string>(&address_)) {
    call->fail(StatusCode::UNAVAILABLE, *malformed);
    return;
  }
  if (auto* ready = std::get_if<Ready>(&state_)) {
    if (ready->connection->accepting_calls()) {
      auto connection = ready->connection;  // open() may change the state
      connection->open(std::move(call));
      return;
    }
    state_ = Idle{};  // closed under us: connect again
  }
  if (auto* connecting = std::get_if<Connecting>(&state_)) {
    connecting->waiting.push_back(std::move(call));
    return;
  }
  if (const auto* backing_off = std::get_if<BackingOff>(&state_)) {
    const auto now = std::chrono::steady_clock::now();
    if (now < backing_off->retry_after) {
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(backing_off->retry_after - now);
      call->fail(StatusCode::UNAVAILABLE, status_text::backing_off(target_, backing_off->failure, wait.count()));
      return;
    }
  }
  connect(std::move(call));
}

void ChannelCore::connect(std::shared_ptr<ClientCall> first) {
  const Address& address = std::get<Address>(address_);  // submit() refused a malformed one
  const std::uint64_t attempt = ++attempts_;
  Connecting connecting{attempt, std::make_unique<boost::asio::steady_timer>(executor_, options_.connect_timeout),
                        std::make_shared<Socket>(executor_), nullptr, {}};
  connecting.waiting.push_back(std::move(first));
  // Weak: a channel dropped while connecting goes away at once (its
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
  resolve_endpoints(address, executor_,
                    [self = shared_from_this(), attempt](std::string error, std::vector<Endpoint> endpoints) {
                      self->on_resolved(attempt, std::move(error), std::move(endpoints));
                    });
}

void ChannelCore::on_resolved(std::uint64_t attempt, std::string error, std::vector<Endpoint> endpoints) {
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

void ChannelCore::on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket,
                               const boost::system::error_code& error) {
  auto* connecting = attempt_in_progress(attempt);
  if (connecting == nullptr) return;
  if (error) {
    connect_failed(error.message());
    return;
  }
  set_no_delay(*socket);
  boost::system::error_code ignored;
  std::string peer = target_;
  if (auto endpoint = socket->remote_endpoint(ignored); !ignored) peer = to_string(endpoint);
  ConnectionSettings local;
  local.max_message_bytes = options_.max_message_bytes;
  local.window_bytes = options_.stream_window_bytes;
  local.connection_window_bytes = options_.connection_window_bytes;
  local.max_concurrent_streams = 0;  // a client accepts no calls from the server
  ConnectionPolicy policy;
  policy.max_write_queue_bytes = options_.max_write_queue_bytes;
  connecting->connection = std::make_shared<ClientConnection>(std::move(*socket), std::move(peer), local,
                                                              std::move(policy), weak_from_this());
  if (tls_context_) {
    connecting->connection->use_tls(std::make_unique<TlsStream>(connecting->connection->socket(), tls_context_,
                                                                tls_server_name_, options_.tls->verify_hostname));
  }
  connecting->connection->start();
}

void ChannelCore::on_connection_ready(ClientConnection& connection) {
  auto* connecting = std::get_if<Connecting>(&state_);
  if (connecting == nullptr || connecting->connection.get() != &connection) return;
  auto waiting = std::move(connecting->waiting);
  auto ready = std::move(connecting->connection);
  state_ = Ready{ready};  // ends the connect timeout
  backoff_ = std::chrono::milliseconds(0);
  for (auto& call : waiting) ready->open(std::move(call));
}

void ChannelCore::on_connection_retired(ClientConnection& connection) {
  // Calls in flight finish on it; the next call opens a fresh connection.
  if (auto* ready = std::get_if<Ready>(&state_); ready != nullptr && ready->connection.get() == &connection) {
    state_ = Idle{};
  }
}

void ChannelCore::on_connection_lost(ClientConnection& connection, const std::string& reason) {
  if (auto* connecting = std::get_if<Connecting>(&state_);
      connecting != nullptr && connecting->connection.get() == &connection) {
    connect_failed("handshake failed: " + reason);
    return;
  }
  on_connection_retired(connection);  // the next call reconnects at once
}

void ChannelCore::connect_failed(const std::string& reason) {
  auto* connecting = std::get_if<Connecting>(&state_);
  IDLRPC_ASSERT(connecting != nullptr);
  auto waiting = std::move(connecting->waiting);
  auto connection = std::move(connecting->connection);
  backoff_ = backoff_.count() == 0 ? options_.initial_backoff : std::min(backoff_ * 2, options_.max_backoff);
  state_ = BackingOff{std::chrono::steady_clock::now() + backoff_, reason};
  if (connection) connection->close("");  // its on_closed finds it is no longer ours
  for (auto& call : waiting) call->fail(StatusCode::UNAVAILABLE, status_text::cannot_connect(target_, reason));
}

}  // namespace idlrpc::detail
