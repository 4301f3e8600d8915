// What a Channel handle points to: the target, the current connection, the
// connect / backoff state machine, and the calls waiting for a connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "client/client_connection.hpp"
#include "client/client_stream.hpp"
#include "idlrpc/channel.hpp"
#include "transport/address.hpp"

namespace idlrpc::detail {

class ChannelCore : public std::enable_shared_from_this<ChannelCore> {
 public:
  /// A malformed target does not throw: every call fails with what is
  /// wrong with it (the mistake shows where the call is made and handled).
  ChannelCore(std::string target, const ChannelOptions& options);
  ~ChannelCore();

  const std::string& target() const noexcept { return target_; }
  const ChannelOptions& options() const noexcept { return options_; }
  const boost::asio::any_io_executor& executor() const noexcept { return executor_; }

  // The rest runs on the I/O thread.

  /// Opens `stream` on the connection, connecting first if needed. While
  /// backing off after a failed connect, fails it with UNAVAILABLE at once.
  void submit(std::shared_ptr<ClientStream> stream);

  void on_connection_ready(ClientConnection& connection);
  /// The connection accepts no new calls (GOAWAY, ids used up).
  void on_connection_retired(ClientConnection& connection);
  void on_connection_lost(ClientConnection& connection, const std::string& reason);

 private:
  using Socket = Connection::Socket;

  void connect();
  void on_connected(std::uint64_t attempt, std::shared_ptr<Socket> socket,
                    const boost::system::error_code& error);
  void connect_failed(const std::string& reason);

  std::string target_;
  std::variant<Address, std::string> address_;  // the parsed target, or why it is malformed
  ChannelOptions options_;
  boost::asio::any_io_executor executor_;

  std::shared_ptr<ClientConnection> connection_;  // connecting or ready
  std::vector<std::shared_ptr<ClientStream>> waiting_;
  bool connecting_ = false;
  std::uint64_t attempt_ = 0;  // tells a stale connect timeout from the current one
  std::unique_ptr<boost::asio::steady_timer> connect_timer_;
  std::chrono::steady_clock::time_point retry_after_{};
  std::chrono::milliseconds backoff_{0};
  std::string last_failure_;
};

}  // namespace idlrpc::detail
