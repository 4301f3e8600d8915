// A throwaway public-key infrastructure for TLS tests, made at run time
// with OpenSSL (no checked-in keys that expire): CAs, and certificates
// they sign with chosen names and validity. ECDSA P-256, as docs/security.md
// recommends.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <idlrpc/tls.hpp>

namespace idlrpc::test {

/// A certificate and its key, as PEM.
struct IssuedCertificate {
  std::string cert_pem{};
  std::string key_pem{};
  /// As an identity for ServerTlsOptions/ChannelTlsOptions (PEM in memory).
  TlsIdentity identity() const { return {.cert_chain_pem = cert_pem, .private_key_pem = key_pem}; }
};

struct CertificateRequest {
  std::string common_name{};
  std::vector<std::string> dns_names{};
  std::vector<std::string> ip_addresses{};
  std::vector<std::string> uris{};  // SPIFFE IDs
  /// Validity relative to now: an expired certificate has both negative.
  std::chrono::hours not_before{-1};
  std::chrono::hours not_after{24};
};

/// A certificate authority that signs what tests ask for.
class TestCa {
 public:
  explicit TestCa(const std::string& name);
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& cert_pem() const { return cert_pem_; }
  IssuedCertificate issue(const CertificateRequest& request) const;
  /// A server certificate for localhost and 127.0.0.1 (and `extra` names).
  IssuedCertificate localhost_server(std::vector<std::string> extra_dns = {}) const;

 private:
  struct Keys;
  std::unique_ptr<Keys> keys_;
  std::string cert_pem_{};
};

/// Writes `text` to a new file under a per-process temporary directory;
/// returns its path.
std::string write_temp_file(const std::string& name, const std::string& text);

}  // namespace idlrpc::test
