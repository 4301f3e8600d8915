// One connection's TLS session: asio's ssl::stream over the connection's
// socket, the contexts it was made from, and what the handshake proved.
// Connection (connection.hpp) reads and writes through it when present.
//
// Threads: the connection's I/O thread only (asio's SSL streams do no
// locking of their own).
#pragma once

#include <memory>
#include <string>
#include <variant>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>

#include "idlrpc/tls.hpp"
#include "transport/tls_context.hpp"

namespace idlrpc::detail {

class TlsStream {
 public:
  using Socket = boost::asio::generic::stream_protocol::socket;

  /// The server side of a session on `socket`, with the contexts current
  /// when the connection arrived (SNI may switch among them).
  TlsStream(Socket& socket, std::shared_ptr<TlsContextSet> contexts);
  /// The client side: `server_name` is sent as SNI (unless an IP address)
  /// and, when `verify_hostname`, checked against the server's certificate.
  TlsStream(Socket& socket, std::shared_ptr<boost::asio::ssl::context> context, const std::string& server_name,
            bool verify_hostname);

  boost::asio::ssl::stream<Socket&>& stream() noexcept { return stream_; }
  boost::asio::ssl::stream_base::handshake_type role() const noexcept { return role_; }
  /// The write batch, sealed into one buffer: asio's SSL stream encrypts
  /// one buffer of a gather list per record, so contiguous bytes make
  /// full 16 KiB records (and fewer system calls).
  std::string& write_buffer() noexcept { return write_buffer_; }

  /// After the handshake: whether both sides agreed on ALPN idlrpc/1.
  bool agreed_on_protocol() const;
  /// After the handshake: what the peer proved.
  PeerIdentity peer_identity() const;
  /// A failed handshake or read, for a log line or a client's status:
  /// OpenSSL's reason, the certificate check that failed, and what it
  /// likely means.
  std::string describe_failure(const boost::system::error_code& error) const;

 private:
  std::variant<std::shared_ptr<TlsContextSet>, std::shared_ptr<boost::asio::ssl::context>> contexts_;
  boost::asio::ssl::stream<Socket&> stream_;
  boost::asio::ssl::stream_base::handshake_type role_;
  std::string write_buffer_;
};

/// Whether a connection's first byte starts a TLS handshake (a TLS record
/// of type handshake, 0x16); an idlrpc frame starts with 0x00.
inline bool starts_tls(unsigned char first_byte) noexcept { return first_byte == 0x16; }

}  // namespace idlrpc::detail
