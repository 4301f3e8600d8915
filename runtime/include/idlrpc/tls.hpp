// TLS settings of a server and of a channel, and what a TLS peer proved
// about itself. Plain structs: the OpenSSL work is in the runtime library.
// docs/security.md shows them in use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "idlrpc/detail/chrono.hpp"

namespace idlrpc {

/// A certificate chain and its private key, as PEM: from files (which a
/// server reloads when they change) or from memory.
struct TlsIdentity {
  std::string cert_chain_file{};   // leaf first, then intermediates
  std::string private_key_file{};
  /// Used instead of the files when not empty (tests, secrets from a vault).
  std::string cert_chain_pem{};
  std::string private_key_pem{};
};

/// Whether a server asks clients for a certificate.
enum class ClientCertificates {
  kNone,     // not asked for
  kRequest,  // asked for; a client without one is let in, one with a bad one is not
  kRequire,  // a client without a valid one fails the handshake (mutual TLS)
};

/// Plaintext clients on a server that has TLS. The first byte a client
/// sends tells the two apart, so one port serves both when allowed.
enum class PlaintextClients {
  kRefused,   // every TCP client must use TLS
  kLoopback,  // plaintext from 127.0.0.0/8 and ::1 only (a local sidecar or probe)
  kAllowed,   // plaintext from anywhere (migrating clients to TLS)
};

/// ServerOptions::tls. TLS 1.2 at least, 1.3 preferred; ALPN "idlrpc/1"
/// required of every client. Unix-socket listeners also accept plaintext
/// (the file's permissions guard them).
struct ServerTlsOptions {
  /// The first is the default; the others are chosen by the server name a
  /// client asks for (SNI) when it matches one of their certificate's names.
  std::vector<TlsIdentity> identities{};
  ClientCertificates client_certificates = ClientCertificates::kNone;
  /// CA certificates (PEM file) that client certificates must chain to;
  /// required unless client_certificates is kNone.
  std::string client_ca_file{};
  std::string client_ca_pem{};  // instead of the file when not empty
  PlaintextClients plaintext = PlaintextClients::kRefused;
  /// How often the identity and CA files are checked for changes (size,
  /// modification time) when a connection arrives; a change builds a new
  /// context for new connections, while existing ones keep theirs. A file
  /// that fails to load keeps the old context (logged). 0: never.
  std::chrono::milliseconds reload_interval{std::chrono::seconds(60)};
};

/// ChannelOptions::tls. A target "tls://host:port" means these defaults.
struct ChannelTlsOptions {
  /// CA certificates (PEM) the server's chain must lead to; empty: the
  /// system's store (Debian: ca-certificates).
  std::string ca_file{};
  std::string ca_pem{};  // instead of the file when not empty
  /// The client's certificate, for servers that ask for one (mutual TLS).
  std::optional<TlsIdentity> identity{};
  /// The name sent as SNI and checked against the server's certificate;
  /// empty: the target's host (an IP address is checked as an address and
  /// sends no SNI).
  std::string server_name{};
  /// Off: the chain is still verified, only not the name in it (a server
  /// reached through an address its certificate does not name). There is
  /// no switch to skip the chain.
  bool verify_hostname = true;
};

/// What the peer of a connection proved about itself (ServerContext::peer_identity()).
struct PeerIdentity {
  /// False on a plaintext connection; everything below is then empty.
  bool tls = false;
  std::string tls_version{};  // "TLSv1.3"
  std::string cipher{};       // "TLS_AES_256_GCM_SHA384"
  /// Of the client's certificate, if it presented one (RFC 2253 form,
  /// "CN=client,O=example").
  std::string subject{};
  std::vector<std::string> dns_sans{};
  std::vector<std::string> uri_sans{};  // SPIFFE IDs ("spiffe://domain/path") are URI SANs
  bool has_certificate() const noexcept { return !subject.empty() || !dns_sans.empty() || !uri_sans.empty(); }
};

}  // namespace idlrpc
