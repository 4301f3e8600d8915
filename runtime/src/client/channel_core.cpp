#include "client/channel_core.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <fmt/format.h>

#include "client/client_runtime.hpp"

namespace idlrpc::detail {
namespace {

std::variant<Address, std::string> parse_target(std::string_view target) {
  try {
    return parse_address(target);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
}

}  // namespace

ChannelCore::ChannelCore(std::string target, const ChannelOptions& options)
    : target_(std::move(target)),
      address_(parse_target(target_)),
      options_(options),
      executor_(client_executor()) {}

ChannelCore::~ChannelCore() {
  // The last handle is gone and no call holds us: nobody can use the
  // connection any more. It belongs to the I/O thread, so close it there.
  if (connection_) {
    boost::asio::post(executor_, [connection = std::move(connection_)] { connection->close(""); });
  }
}

void ChannelCore::submit(std::shared_ptr<ClientStream> stream) {
  if (const auto* malformed = std::get_if<std::string>(&address_)) {
    stream->fail(StatusCode::UNAVAILABLE, *malformed);
    return;
  }
  if (connection_ && connection_->accepting_calls()) {
    connection_->open(std::move(stream));
    return;
  }
  if (connecting_) {
    waiting_.push_back(std::move(stream));
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now < retry_after_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(retry_after_ - now);
    stream->fail(StatusCode::UNAVAILABLE, fmt::format("cannot reach {}: {} (next attempt in {} ms)", target_,
                                                      last_failure_, wait.count()));
    return;
  }
  waiting_.push_back(std::move(stream));
  connect();
}

void ChannelCore::connect() {
  const Address& address = std::get<Address>(address_);  // submit() refused a malformed one
  connecting_ = true;
  connection_.reset();
  const std::uint64_t attempt = ++attempt_;
  auto socket = std::make_shared<Socket>(executor_);

  connect_timer_ = std::make_unique<boost::asio::steady_timer>(executor_, options_.connect_timeout);
  // Weak: a channel dropped while connecting goes away at once (its
  // destructor closes the connection) instead of living until the timeout.
  connect_timer_->async_wait([weak = weak_from_this(), attempt, socket](const boost::system::error_code& error) {
    auto self = weak.lock();
    if (error || !self || attempt != self->attempt_ || !self->connecting_) return;
    boost::system::error_code ignored;
    socket->close(ignored);  // a connect in progress completes with operation_aborted
    self->connect_failed(fmt::format("no connection within {} ms", self->options_.connect_timeout.count()));
  });

  auto done = [self = shared_from_this(), attempt, socket](const boost::system::error_code& error, auto&&...) {
    self->on_connected(attempt, socket, error);
  };
  if (address.is_unix) {
    socket->async_connect(boost::asio::local::stream_protocol::endpoint(address.path), done);
    return;
  }
  if (is_localhost(address.host)) {
    // RFC 6761: "localhost" is always the loopback interface. Answering it
    // here keeps it working on machines without an /etc/hosts entry (bare
    // containers) and saves a resolver round trip. IPv4 first: servers
    // that listen on "0.0.0.0" are the common case.
    std::uint16_t port = 0;
    std::from_chars(address.port.data(), address.port.data() + address.port.size(), port);
    const std::vector<boost::asio::generic::stream_protocol::endpoint> loopback = {
        boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v4::loopback(), port),
        boost::asio::ip::tcp::endpoint(boost::asio::ip::address_v6::loopback(), port)};
    boost::asio::async_connect(*socket, loopback, done);
    return;
  }
  auto resolver = std::make_shared<boost::asio::ip::tcp::resolver>(executor_);
  resolver->async_resolve(
      address.host, address.port,
      [self = shared_from_this(), attempt, socket, resolver, done](
          const boost::system::error_code& error, boost::asio::ip::tcp::resolver::results_type results) {
        if (attempt != self->attempt_ || !self->connecting_) return;
        if (error) {
          self->connect_failed("cannot resolve " + std::get<Address>(self->address_).host + ": " + error.message());
          return;
        }
        std::vector<boost::asio::generic::stream_protocol::endpoint> endpoints;
        for (const auto& entry : results) endpoints.emplace_back(entry.endpoint());
        boost::asio::async_connect(*socket, endpoints, done);
      });
}

void ChannelCore::on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket,
                               const boost::system::error_code& error) {
  if (attempt != attempt_ || !connecting_) return;
  if (error) {
    connect_failed(error.message());
    return;
  }
  boost::system::error_code ignored;
  if (!std::get<Address>(address_).is_unix) socket->set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  std::string peer = target_;
  if (auto endpoint = socket->remote_endpoint(ignored); !ignored) peer = to_string(endpoint);
  ConnectionSettings local;
  local.max_message_bytes = options_.max_message_bytes;
  local.window_bytes = options_.stream_window_bytes;
  local.connection_window_bytes = options_.connection_window_bytes;
  local.max_concurrent_streams = 0;  // a client accepts no calls from the server
  ConnectionPolicy policy;
  policy.max_write_queue_bytes = options_.max_write_queue_bytes;
  connection_ = std::make_shared<ClientConnection>(std::move(*socket), std::move(peer), local, std::move(policy),
                                                   weak_from_this());
  connection_->start();
}

void ChannelCore::on_connection_ready(ClientConnection& connection) {
  if (&connection != connection_.get()) return;
  connecting_ = false;
  connect_timer_.reset();
  backoff_ = std::chrono::milliseconds(0);
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& stream : waiting) connection_->open(std::move(stream));
}

void ChannelCore::on_connection_retired(ClientConnection& connection) {
  // Calls in flight finish on it; the next call opens a fresh connection.
  if (&connection == connection_.get() && !connecting_) connection_.reset();
}

void ChannelCore::on_connection_lost(ClientConnection& connection, const std::string& reason) {
  if (&connection != connection_.get()) return;
  if (connecting_) {
    connect_failed("handshake failed: " + reason);
  } else {
    connection_.reset();  // the next call reconnects at once
  }
}

void ChannelCore::connect_failed(const std::string& reason) {
  connecting_ = false;
  ++attempt_;  // whatever is still in flight for the old attempt is stale
  connect_timer_.reset();
  if (connection_) {
    auto connection = std::move(connection_);
    connection->close("");
  }
  backoff_ = backoff_.count() == 0 ? options_.initial_backoff : std::min(backoff_ * 2, options_.max_backoff);
  retry_after_ = std::chrono::steady_clock::now() + backoff_;
  last_failure_ = reason;
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& stream : waiting) {
    stream->fail(StatusCode::UNAVAILABLE, fmt::format("cannot connect to {}: {}", target_, reason));
  }
}

}  // namespace idlrpc::detail
