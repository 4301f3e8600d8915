#include "test_pki.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace idlrpc::test {
namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  check(key != nullptr, "EVP_EC_gen");
  return key;
}

std::string pem_of(X509* certificate) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, certificate);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

std::string pem_of(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  return pem;
}

void add_extension(X509* certificate, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
  check(extension != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(certificate, extension, -1);
  X509_EXTENSION_free(extension);
}

X509* new_certificate(const std::string& common_name, EVP_PKEY* key, std::chrono::hours not_before,
                      std::chrono::hours not_after) {
  static std::atomic<long> serial{1};
  X509* certificate = X509_new();
  X509_set_version(certificate, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate), serial++);
  X509_gmtime_adj(X509_getm_notBefore(certificate), static_cast<long>(not_before.count()) * 3600);
  X509_gmtime_adj(X509_getm_notAfter(certificate), static_cast<long>(not_after.count()) * 3600);
  X509_set_pubkey(certificate, key);
  X509_NAME* name = X509_get_subject_name(certificate);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("idlrpc tests"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                             -1, -1, 0);
  return certificate;
}

}  // namespace

struct TestCa::Keys {
  EVP_PKEY* key = nullptr;
  X509* certificate = nullptr;
  ~Keys() {
    X509_free(certificate);
    EVP_PKEY_free(key);
  }
};

TestCa::TestCa(const std::string& name) : keys_(std::make_unique<Keys>()) {
  keys_->key = new_key();
  keys_->certificate = new_certificate(name, keys_->key, std::chrono::hours(-1), std::chrono::hours(24 * 30));
  X509_set_issuer_name(keys_->certificate, X509_get_subject_name(keys_->certificate));
  add_extension(keys_->certificate, keys_->certificate, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(keys_->certificate, keys_->certificate, NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(keys_->certificate, keys_->certificate, NID_subject_key_identifier, "hash");
  check(X509_sign(keys_->certificate, keys_->key, EVP_sha256()) != 0, "X509_sign (CA)");
  cert_pem_ = pem_of(keys_->certificate);
}

TestCa::~TestCa() = default;

IssuedCertificate TestCa::issue(const CertificateRequest& request) const {
  EVP_PKEY* key = new_key();
  X509* certificate = new_certificate(request.common_name, key, request.not_before, request.not_after);
  X509_set_issuer_name(certificate, X509_get_subject_name(keys_->certificate));
  std::string sans;
  auto add_san = [&sans](const std::string& kind, const std::string& value) {
    sans += (sans.empty() ? "" : ",") + kind + ":" + value;
  };
  for (const auto& dns : request.dns_names) add_san("DNS", dns);
  for (const auto& ip : request.ip_addresses) add_san("IP", ip);
  for (const auto& uri : request.uris) add_san("URI", uri);
  if (!sans.empty()) add_extension(certificate, keys_->certificate, NID_subject_alt_name, sans);
  add_extension(certificate, keys_->certificate, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(certificate, keys_->certificate, NID_ext_key_usage, "serverAuth,clientAuth");
  add_extension(certificate, keys_->certificate, NID_authority_key_identifier, "keyid");
  check(X509_sign(certificate, keys_->key, EVP_sha256()) != 0, "X509_sign");
  IssuedCertificate issued{pem_of(certificate), pem_of(key)};
  X509_free(certificate);
  EVP_PKEY_free(key);
  return issued;
}

IssuedCertificate TestCa::localhost_server(std::vector<std::string> extra_dns) const {
  CertificateRequest request{.common_name = "localhost", .dns_names = {"localhost"}, .ip_addresses = {"127.0.0.1", "::1"}};
  for (auto& name : extra_dns) request.dns_names.push_back(std::move(name));
  return issue(request);
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  static const std::filesystem::path directory = [] {
    auto path = std::filesystem::temp_directory_path() / ("idlrpc-tls-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path;
  }();
  const auto path = directory / name;
  std::ofstream(path, std::ios::trunc) << text;
  return path.string();
}

}  // namespace idlrpc::test
