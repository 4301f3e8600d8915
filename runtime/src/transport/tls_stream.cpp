#include "transport/tls_stream.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace idlrpc::detail {
namespace {

namespace ssl = boost::asio::ssl;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code error;
  boost::asio::ip::make_address(host, error);
  return !error;
}

std::string subject_of(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return {};
  X509_NAME_print_ex(bio, X509_get_subject_name(certificate), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string subject(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return subject;
}

void read_sans(X509* certificate, PeerIdentity& identity) {
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type != GEN_DNS && name->type != GEN_URI) continue;
    const ASN1_IA5STRING* text = name->type == GEN_DNS ? name->d.dNSName : name->d.uniformResourceIdentifier;
    std::string value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                      static_cast<std::size_t>(ASN1_STRING_length(text)));
    (name->type == GEN_DNS ? identity.dns_sans : identity.uri_sans).push_back(std::move(value));
  }
  GENERAL_NAMES_free(names);
}

}  // namespace

TlsStream::TlsStream(Socket& socket, std::shared_ptr<TlsContextSet> contexts)
    : contexts_(contexts), stream_(socket, contexts->default_context()), role_(ssl::stream_base::server) {}

TlsStream::TlsStream(Socket& socket, std::shared_ptr<ssl::context> context, const std::string& server_name,
                     bool verify_hostname)
    : contexts_(context), stream_(socket, *context), role_(ssl::stream_base::client) {
  SSL* ssl = stream_.native_handle();
  const bool ip = is_ip_literal(server_name);
  // SNI carries host names only (RFC 6066).
  if (!ip && !server_name.empty()) SSL_set_tlsext_host_name(ssl, server_name.c_str());
  if (verify_hostname && !server_name.empty()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    if (ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, server_name.c_str());
    } else {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, server_name.c_str(), server_name.size());
    }
  }
}

bool TlsStream::agreed_on_protocol() const {
  const unsigned char* protocol = nullptr;
  unsigned length = 0;
  SSL_get0_alpn_selected(const_cast<ssl::stream<Socket&>&>(stream_).native_handle(), &protocol, &length);
  return protocol != nullptr && std::string_view(reinterpret_cast<const char*>(protocol), length) == kAlpnProtocol;
}

PeerIdentity TlsStream::peer_identity() const {
  SSL* ssl = const_cast<ssl::stream<Socket&>&>(stream_).native_handle();
  PeerIdentity identity;
  identity.tls = true;
  identity.tls_version = SSL_get_version(ssl);
  if (const char* cipher = SSL_get_cipher_name(ssl)) identity.cipher = cipher;
  if (X509* certificate = SSL_get1_peer_certificate(ssl)) {
    identity.subject = subject_of(certificate);
    read_sans(certificate, identity);
    X509_free(certificate);
  }
  return identity;
}

std::string TlsStream::describe_failure(const boost::system::error_code& error) const {
  SSL* ssl = const_cast<ssl::stream<Socket&>&>(stream_).native_handle();
  const bool client = role_ == ssl::stream_base::client;
  // The certificate check that failed says more than "certificate verify failed".
  if (const long verify = SSL_get_verify_result(ssl); verify != X509_V_OK) {
    return fmt::format("the {} certificate was rejected: {}", client ? "server's" : "client's",
                       X509_verify_cert_error_string(verify));
  }
  if (error == boost::asio::error::eof || error == ssl::error::stream_truncated) {
    return client ? "the server closed the connection during the TLS handshake (does it speak TLS on this port?)"
                  : "the client closed the connection during the TLS handshake";
  }
  if (error.category() == boost::asio::error::get_ssl_category()) {
    const int reason = ERR_GET_REASON(static_cast<unsigned long>(error.value()));
    if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
        reason == SSL_R_HTTP_REQUEST) {
      return fmt::format("the {} does not speak TLS ({})", client ? "server" : "client", error.message());
    }
    if (reason == SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL || reason == SSL_R_NO_APPLICATION_PROTOCOL) {
      return fmt::format("no common application protocol: idlrpc requires ALPN {} ({})", kAlpnProtocol,
                         error.message());
    }
    if (reason == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED || reason == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
      return fmt::format("the server requires a client certificate and {} ({})",
                         client ? "this channel has none" : "the client sent none", error.message());
    }
    if (reason == SSL_R_TLSV1_ALERT_UNKNOWN_CA || reason == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
        reason == SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED || reason == SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN ||
        reason == SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED || reason == SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE) {
      return fmt::format("the {} rejected our certificate ({})", client ? "server" : "client", error.message());
    }
    return fmt::format("TLS error: {}", error.message());
  }
  return error.message();
}

}  // namespace idlrpc::detail
