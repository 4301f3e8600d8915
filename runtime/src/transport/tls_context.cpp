#include "transport/tls_context.hpp"

#include <filesystem>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "idlrpc/detail/contract.hpp"
#include "log.hpp"

namespace idlrpc::detail {
namespace {

namespace ssl = boost::asio::ssl;

// What every context shares: TLS 1.2 at least (1.3 is negotiated when both
// sides have it), no renegotiation and no compression (CRIME), and a peer
// that closes without close_notify reads as end of stream: the framing
// already tells a cut-off frame from a clean end (docs/protocol.md).
void set_common_options(ssl::context& context) {
  SSL_CTX* ctx = context.native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_CIPHER_SERVER_PREFERENCE);
}

[[noreturn]] void fail(std::string_view what, std::string_view where, const boost::system::error_code& error) {
  throw std::invalid_argument(fmt::format("TLS: cannot {} {}: {}", what, where, error.message()));
}

void load_identity(ssl::context& context, const TlsIdentity& identity, std::string_view role) {
  boost::system::error_code error;
  if (!identity.cert_chain_pem.empty()) {
    context.use_certificate_chain(boost::asio::buffer(identity.cert_chain_pem), error);
    if (error) fail("load the certificate chain of", fmt::format("the {} (PEM in memory)", role), error);
  } else {
    if (identity.cert_chain_file.empty()) {
      throw std::invalid_argument(fmt::format("TLS: the {} identity has no certificate (cert_chain_file)", role));
    }
    context.use_certificate_chain_file(identity.cert_chain_file, error);
    if (error) fail("load the certificate chain", identity.cert_chain_file, error);
  }
  if (!identity.private_key_pem.empty()) {
    context.use_private_key(boost::asio::buffer(identity.private_key_pem), ssl::context::pem, error);
    if (error) fail("load the private key of", fmt::format("the {} (PEM in memory)", role), error);
  } else {
    if (identity.private_key_file.empty()) {
      throw std::invalid_argument(fmt::format("TLS: the {} identity has no private key (private_key_file)", role));
    }
    context.use_private_key_file(identity.private_key_file, ssl::context::pem, error);
    if (error) fail("load the private key", identity.private_key_file, error);
  }
  if (SSL_CTX_check_private_key(context.native_handle()) != 1) {
    throw std::invalid_argument(fmt::format("TLS: the private key {} does not match the certificate {}",
                                            identity.private_key_pem.empty() ? identity.private_key_file : "(PEM)",
                                            identity.cert_chain_pem.empty() ? identity.cert_chain_file : "(PEM)"));
  }
}

void load_trust(ssl::context& context, const std::string& pem, const std::string& file, std::string_view role) {
  boost::system::error_code error;
  if (!pem.empty()) {
    context.add_certificate_authority(boost::asio::buffer(pem), error);
    if (error) fail("load the CA certificates for", role, error);
  } else if (!file.empty()) {
    context.load_verify_file(file, error);
    if (error) fail("load the CA certificates", file, error);
  } else {
    context.set_default_verify_paths(error);
    if (error) fail("load the system's CA certificates for", role, error);
  }
}

// ALPN on the server: the client must offer idlrpc/1. A client that offers
// other protocols only (h2, http/1.1) fails the handshake with the
// no_application_protocol alert; one that offers none is refused after the
// handshake (OpenSSL does not call this then).
int select_alpn(SSL*, const unsigned char** out, unsigned char* out_length, const unsigned char* in,
                unsigned int in_length, void*) {
  for (unsigned i = 0; i < in_length;) {
    const unsigned length = in[i];
    if (i + 1 + length > in_length) break;
    if (std::string_view(reinterpret_cast<const char*>(in + i + 1), length) == kAlpnProtocol) {
      *out = in + i + 1;
      *out_length = static_cast<unsigned char>(length);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + length;
  }
  return SSL_TLSEXT_ERR_ALERT_FATAL;
}

// SNI on the server: switch to the identity that names the requested host.
// Unknown names keep the default identity (the client's verification then
// decides), as most servers do.
int select_identity(SSL* ssl, int*, void* arg) {
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_OK;
  auto* set = static_cast<TlsContextSet*>(arg);
  if (ssl::context* chosen = set->for_server_name(name); chosen != nullptr && chosen != &set->default_context()) {
    SSL_set_SSL_CTX(ssl, chosen->native_handle());
  }
  return SSL_TLSEXT_ERR_OK;
}

std::unique_ptr<ssl::context> make_server_context(const ServerTlsOptions& options, const TlsIdentity& identity) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  set_common_options(*context);
  load_identity(*context, identity, "server");
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_alpn_select_cb(ctx, select_alpn, nullptr);
  // Session resumption with client certificates needs an id context.
  static constexpr unsigned char kSessionIdContext[] = "idlrpc";
  SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
  switch (options.client_certificates) {
    case ClientCertificates::kNone:
      context->set_verify_mode(ssl::verify_none);
      return context;
    case ClientCertificates::kRequest:
      context->set_verify_mode(ssl::verify_peer);
      break;
    case ClientCertificates::kRequire:
      context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
      break;
  }
  if (options.client_ca_file.empty() && options.client_ca_pem.empty()) {
    throw std::invalid_argument("TLS: client certificates are asked for but no client_ca_file is set");
  }
  load_trust(*context, options.client_ca_pem, options.client_ca_file, "client certificates");
  // Tell clients which CAs we accept, so one with several certificates picks right.
  if (!options.client_ca_file.empty()) {
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(ctx, names);
    }
  }
  return context;
}

}  // namespace

ssl::context* TlsContextSet::for_server_name(std::string_view server_name) {
  for (auto& entry : entries) {
    X509* certificate = SSL_CTX_get0_certificate(entry.context->native_handle());
    if (certificate != nullptr && X509_check_host(certificate, server_name.data(), server_name.size(), 0, nullptr) == 1) {
      return entry.context.get();
    }
  }
  return nullptr;
}

std::shared_ptr<TlsContextSet> make_server_contexts(const ServerTlsOptions& options) {
  if (options.identities.empty()) throw std::invalid_argument("TLS: the server has no identity (certificate and key)");
  auto set = std::make_shared<TlsContextSet>();
  for (const auto& identity : options.identities) set->entries.push_back({make_server_context(options, identity)});
  if (set->entries.size() > 1) {
    SSL_CTX* ctx = set->default_context().native_handle();
    SSL_CTX_set_tlsext_servername_callback(ctx, select_identity);
    SSL_CTX_set_tlsext_servername_arg(ctx, set.get());
  }
  return set;
}

std::shared_ptr<ssl::context> make_client_context(const ChannelTlsOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  set_common_options(*context);
  context->set_verify_mode(ssl::verify_peer);
  load_trust(*context, options.ca_pem, options.ca_file, "the server's certificate");
  if (options.identity) load_identity(*context, *options.identity, "client");
  // Length-prefixed list of one protocol id.
  std::string protocols(1, static_cast<char>(kAlpnProtocol.size()));
  protocols += kAlpnProtocol;
  // Returns 0 on success (unlike most of OpenSSL).
  if (SSL_CTX_set_alpn_protos(context->native_handle(), reinterpret_cast<const unsigned char*>(protocols.data()),
                              static_cast<unsigned>(protocols.size())) != 0) {
    throw std::invalid_argument("TLS: cannot set ALPN");
  }
  return context;
}

ServerTlsContexts::ServerTlsContexts(ServerTlsOptions options)
    : options_(std::move(options)),
      current_(make_server_contexts(options_)),
      stamps_(stamp_files()),
      last_check_(std::chrono::steady_clock::now()) {}

std::vector<ServerTlsContexts::FileStamp> ServerTlsContexts::stamp_files() const {
  std::vector<std::string> paths;
  for (const auto& identity : options_.identities) {
    if (identity.cert_chain_pem.empty()) paths.push_back(identity.cert_chain_file);
    if (identity.private_key_pem.empty()) paths.push_back(identity.private_key_file);
  }
  if (options_.client_ca_pem.empty() && !options_.client_ca_file.empty()) paths.push_back(options_.client_ca_file);
  std::vector<FileStamp> stamps;
  for (auto& path : paths) {
    // Follows symbolic links: Kubernetes swaps a secret volume's link.
    std::error_code error;
    FileStamp stamp{std::move(path)};
    stamp.modified = std::filesystem::last_write_time(stamp.path, error);
    stamp.size = error ? 0 : std::filesystem::file_size(stamp.path, error);
    stamps.push_back(std::move(stamp));
  }
  return stamps;
}

std::shared_ptr<TlsContextSet> ServerTlsContexts::current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (options_.reload_interval.count() > 0 && now - last_check_ >= options_.reload_interval) {
    last_check_ = now;
    if (auto stamps = stamp_files(); stamps != stamps_) {
      try {
        current_ = make_server_contexts(options_);
        stamps_ = std::move(stamps);
        log(LogLevel::kInfo, "TLS certificates reloaded: new connections use them");
      } catch (const std::exception& e) {
        // Half-written files (a rotation in progress) fail here; the old
        // set stays and the next check tries again.
        log(LogLevel::kWarning, "TLS certificates changed but cannot be loaded, keeping the old ones: {}", e.what());
      }
    }
  }
  return current_;
}

bool ServerTlsContexts::reload() {
  std::lock_guard lock(mutex_);
  // Stamped before building, as current() does: a file that changes while
  // the set is built is seen as changed at the next check.
  auto stamps = stamp_files();
  try {
    current_ = make_server_contexts(options_);
    stamps_ = std::move(stamps);
    last_check_ = std::chrono::steady_clock::now();
    log(LogLevel::kInfo, "TLS certificates reloaded: new connections use them");
    return true;
  } catch (const std::exception& e) {
    log(LogLevel::kWarning, "TLS certificates cannot be reloaded, keeping the old ones: {}", e.what());
    return false;
  }
}

}  // namespace idlrpc::detail
