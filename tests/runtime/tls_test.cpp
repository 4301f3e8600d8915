// TLS and mutual TLS end to end, with certificates made at run time
// (test_pki.hpp): the four call kinds, what the server learns of its peer,
// every way a handshake can go wrong (each with a clear status on the
// client and one line in the server's log), SNI and certificate reload.
#include <filesystem>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include "log_capture.hpp"
#include "test_pki.hpp"
#include "test_server.hpp"

namespace idlrpc::test {
namespace {

using namespace std::chrono_literals;

// What a failed call says.
struct Failure {
  StatusCode code = StatusCode::OK;
  std::string message;
};

Failure failure_of(Tester::Client client) {
  try {
    TestRequest request;
    request.text = "hi";
    client.Echo(request, CallOptions().set_timeout(10s));
  } catch (const RpcError& e) {
    return {e.code(), e.what()};
  }
  return {};
}

std::string echo(Tester::Client client, const std::string& text = "hi") {
  TestRequest request;
  request.text = text;
  return client.Echo(request, CallOptions().set_timeout(10s)).text;
}

class TlsTest : public ::testing::TestWithParam<Style> {
 protected:
  TestCa ca_{"test CA"};
  TestCa other_ca_{"another CA"};
  IssuedCertificate server_cert_ = ca_.localhost_server();
  IssuedCertificate client_cert_ = ca_.issue({.common_name = "client-7",
                                              .dns_names = {"client7.example"},
                                              .uris = {"spiffe://example.org/ns/prod/sa/reporter"}});

  ServerTlsOptions server_tls(ClientCertificates client_certificates = ClientCertificates::kNone) const {
    ServerTlsOptions tls;
    tls.identities = {server_cert_.identity()};
    tls.client_certificates = client_certificates;
    if (client_certificates != ClientCertificates::kNone) tls.client_ca_pem = ca_.cert_pem();
    return tls;
  }
  std::unique_ptr<TestServer> start(ServerTlsOptions tls) {
    ServerOptions options;
    options.tls = std::move(tls);
    return std::make_unique<TestServer>(GetParam(), std::move(options));
  }
  ChannelTlsOptions client_tls(bool with_certificate = false) const {
    ChannelTlsOptions tls;
    tls.ca_pem = ca_.cert_pem();
    if (with_certificate) tls.identity = client_cert_.identity();
    return tls;
  }
  static Tester::Client client(const TestServer& server, ChannelTlsOptions tls) {
    ChannelOptions options;
    options.tls = std::move(tls);
    return Tester::Client(server.channel(options));
  }
};

// All four kinds over one TLS connection.
void exercise_four_kinds(Tester::Client client) {
  EXPECT_EQ(echo(client, "unary"), "unary");

  TestRequest count;
  count.count = 3;
  int seen = 0;
  for (auto& message : client.Count(count)) EXPECT_EQ(message.text, std::to_string(seen++));
  EXPECT_EQ(seen, 3);

  auto writer = client.Sum();
  TestRequest part;
  part.payload = std::string(100000, 'x');  // several TLS records a message
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(writer.write(part));
  EXPECT_EQ(writer.finish().text, "4 messages, 400000 bytes");

  auto chat = client.Chat();
  TestRequest line;
  line.text = "ping";
  ASSERT_TRUE(chat.write(line));
  EXPECT_EQ(chat.read()->text, "ping");
  chat.writes_done();
  EXPECT_FALSE(chat.read());
  chat.finish();
}

TEST_P(TlsTest, FourCallKindsOverTls) {
  auto server = start(server_tls());
  exercise_four_kinds(client(*server, client_tls()));
}

TEST_P(TlsTest, FourCallKindsOverMutualTlsAndTheServerSeesTheClientsIdentity) {
  auto server = start(server_tls(ClientCertificates::kRequire));
  auto client = this->client(*server, client_tls(true));
  exercise_four_kinds(client);

  ResponseMetadata metadata;
  CallOptions options;
  options.add_metadata("x-identity", "1");
  options.response_metadata = &metadata;
  client.Echo(TestRequest{}, options);
  EXPECT_EQ(metadata.trailing.get("x-tls-version"), "TLSv1.3");
  EXPECT_EQ(metadata.trailing.get("x-subject"), "CN=client-7,O=idlrpc tests");
  EXPECT_EQ(metadata.trailing.get("x-dns-san"), "client7.example");
  EXPECT_EQ(metadata.trailing.get("x-uri-san"), "spiffe://example.org/ns/prod/sa/reporter");
}

TEST_P(TlsTest, APlaintextPeerHasNoIdentity) {
  TestServer server(GetParam());
  ResponseMetadata metadata;
  CallOptions options;
  options.add_metadata("x-identity", "1");
  options.response_metadata = &metadata;
  server.client().Echo(TestRequest{}, options);
  EXPECT_EQ(metadata.trailing.get("x-tls-version"), "");
  EXPECT_EQ(metadata.trailing.get("x-subject"), "");
}

TEST_P(TlsTest, TlsTargetSchemeUsesTheSystemStoreAndRejectsATestCa) {
  auto server = start(server_tls());
  // "tls://" means default ChannelTlsOptions: the system's CAs, which do
  // not include our test CA.
  const Failure failure = failure_of(Tester::Client(Channel("tls://" + server->address())));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server's certificate was rejected: unable to get local issuer certificate"),
            std::string::npos)
      << failure.message;
}

TEST_P(TlsTest, MissingClientCertificateWhenRequired) {
  LogCapture log;
  auto server = start(server_tls(ClientCertificates::kRequire));
  const Failure failure = failure_of(client(*server, client_tls(false)));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server requires a client certificate and this channel has none"),
            std::string::npos)
      << failure.message;
  EXPECT_TRUE(eventually([&] { return log.count_containing("the client sent none") == 1; }));
}

TEST_P(TlsTest, RequestedClientCertificateIsOptional) {
  auto server = start(server_tls(ClientCertificates::kRequest));
  EXPECT_EQ(echo(client(*server, client_tls(false))), "hi");
  EXPECT_EQ(echo(client(*server, client_tls(true))), "hi");
}

TEST_P(TlsTest, ClientCertificateFromAnotherCaIsRejected) {
  LogCapture log;
  auto server = start(server_tls(ClientCertificates::kRequire));
  ChannelTlsOptions tls = client_tls();
  tls.identity = other_ca_.issue({.common_name = "stranger"}).identity();
  const Failure failure = failure_of(client(*server, tls));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server rejected our certificate"), std::string::npos) << failure.message;
  EXPECT_TRUE(eventually([&] {
    return log.count_containing("the client's certificate was rejected: unable to get local issuer certificate") == 1;
  }));
}

TEST_P(TlsTest, ServerCertificateFromAnotherCaIsRejected) {
  auto server = start(server_tls());
  ChannelTlsOptions tls;
  tls.ca_pem = other_ca_.cert_pem();
  const Failure failure = failure_of(client(*server, tls));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server's certificate was rejected: unable to get local issuer certificate"),
            std::string::npos)
      << failure.message;
}

TEST_P(TlsTest, HostnameMismatchIsRejectedUnlessOnlyTheChainIsChecked) {
  ServerTlsOptions tls;
  tls.identities = {ca_.issue({.common_name = "elsewhere", .dns_names = {"elsewhere.example"}}).identity()};
  auto server = start(tls);
  const Failure failure = failure_of(client(*server, client_tls()));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server's certificate was rejected: IP address mismatch"), std::string::npos)
      << failure.message;

  ChannelTlsOptions by_name = client_tls();
  by_name.server_name = "other.example";
  const std::string by_name_message = failure_of(client(*server, by_name)).message;
  EXPECT_NE(by_name_message.find("the server's certificate was rejected: hostname mismatch"), std::string::npos)
      << by_name_message;

  ChannelTlsOptions chain_only = client_tls();
  chain_only.verify_hostname = false;
  EXPECT_EQ(echo(client(*server, chain_only)), "hi");
  by_name.server_name = "elsewhere.example";
  EXPECT_EQ(echo(client(*server, by_name)), "hi");
}

TEST_P(TlsTest, ExpiredCertificatesAreRejectedBothWays) {
  LogCapture log;
  CertificateRequest expired{.common_name = "localhost",
                             .dns_names = {"localhost"},
                             .ip_addresses = {"127.0.0.1"},
                             .not_before = std::chrono::hours(-48),
                             .not_after = std::chrono::hours(-24)};
  ServerTlsOptions tls;
  tls.identities = {ca_.issue(expired).identity()};
  auto server = start(tls);
  const Failure failure = failure_of(client(*server, client_tls()));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server's certificate was rejected: certificate has expired"),
            std::string::npos)
      << failure.message;

  auto mutual = start(server_tls(ClientCertificates::kRequire));
  ChannelTlsOptions with_expired = client_tls();
  expired.common_name = "old client";
  with_expired.identity = ca_.issue(expired).identity();
  EXPECT_EQ(failure_of(client(*mutual, with_expired)).code, StatusCode::UNAVAILABLE);
  EXPECT_TRUE(eventually(
      [&] { return log.count_containing("the client's certificate was rejected: certificate has expired") == 1; }));
}

// A raw TLS client (no idlrpc) offering `alpn` (nothing if empty): what the
// server does with it.
std::string raw_tls_client(const TestServer& server, const std::string& alpn, const std::string& ca_pem) {
  namespace ssl = boost::asio::ssl;
  boost::asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  context.add_certificate_authority(boost::asio::buffer(ca_pem));
  context.set_verify_mode(ssl::verify_peer);
  ssl::stream<boost::asio::ip::tcp::socket> stream(io, context);
  if (!alpn.empty()) {
    std::string protocols(1, static_cast<char>(alpn.size()));
    protocols += alpn;
    SSL_set_alpn_protos(stream.native_handle(), reinterpret_cast<const unsigned char*>(protocols.data()),
                        static_cast<unsigned>(protocols.size()));
  }
  const auto port = server.address().substr(server.address().rfind(':') + 1);
  boost::asio::ip::tcp::resolver resolver(io);
  boost::asio::connect(stream.next_layer(), resolver.resolve("127.0.0.1", port));
  boost::system::error_code error;
  stream.handshake(ssl::stream_base::client, error);
  if (error) return "handshake: " + error.message();
  char byte;
  boost::asio::read(stream, boost::asio::buffer(&byte, 1), error);
  return "read: " + error.message();
}

TEST_P(TlsTest, ClientsWithoutTheIdlrpcAlpnAreRefused) {
  LogCapture log;
  auto server = start(server_tls());
  // No ALPN at all: the handshake completes, then the server hangs up
  // (without close_notify: OpenSSL says "stream truncated").
  EXPECT_EQ(raw_tls_client(*server, "", ca_.cert_pem()), "read: stream truncated");
  EXPECT_TRUE(eventually([&] { return log.count_containing("did not agree on ALPN idlrpc/1") == 1; }));
  // Another protocol only: the handshake itself fails.
  const std::string h2 = raw_tls_client(*server, "h2", ca_.cert_pem());
  EXPECT_TRUE(h2.starts_with("handshake: ")) << h2;
  EXPECT_NE(h2.find("no application protocol"), std::string::npos) << h2;
  EXPECT_TRUE(eventually([&] { return log.count_containing("idlrpc requires ALPN idlrpc/1") == 1; }));
}

TEST_P(TlsTest, PlaintextClientOnATlsPort) {
  LogCapture log;
  auto server = start(server_tls());
  const Failure failure = failure_of(server->client());
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("the server refused the connection: this server requires TLS"), std::string::npos)
      << failure.message;
  EXPECT_TRUE(eventually([&] { return log.count_containing("a plaintext client on a TLS port: refused") == 1; }));
}

TEST_P(TlsTest, PlaintextFromLoopbackWhenAllowed) {
  ServerTlsOptions tls = server_tls();
  tls.plaintext = PlaintextClients::kLoopback;
  auto server = start(tls);
  EXPECT_EQ(echo(server->client()), "hi");            // plaintext from 127.0.0.1
  EXPECT_EQ(echo(client(*server, client_tls())), "hi");  // and TLS, on the same port
}

TEST_P(TlsTest, TlsClientOnAPlaintextPort) {
  LogCapture log;
  TestServer server(GetParam());
  const Failure failure = failure_of(client(server, client_tls()));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("does it speak TLS on this port?"), std::string::npos) << failure.message;
  EXPECT_TRUE(eventually([&] { return log.count_containing("started a TLS handshake, but this server has no TLS") == 1; }));
}

TEST_P(TlsTest, SniChoosesTheIdentity) {
  ServerTlsOptions tls;
  tls.identities = {server_cert_.identity(),
                    other_ca_.issue({.common_name = "api", .dns_names = {"api.example"}}).identity()};
  auto server = start(tls);
  // Each name gets the certificate that names it: the other CA's for
  // api.example (the hostname check proves which one arrived).
  ChannelTlsOptions api;
  api.ca_pem = other_ca_.cert_pem();
  api.server_name = "api.example";
  EXPECT_EQ(echo(client(*server, api)), "hi");
  EXPECT_EQ(echo(client(*server, client_tls())), "hi");  // 127.0.0.1: no SNI, the default identity
  ChannelTlsOptions localhost = client_tls();
  localhost.server_name = "localhost";
  EXPECT_EQ(echo(client(*server, localhost)), "hi");
}

TEST_P(TlsTest, ReloadedCertificatesReachNewConnectionsAndOldOnesKeepWorking) {
  const std::string cert = write_temp_file("reload-cert-" + to_string(GetParam()) + ".pem", server_cert_.cert_pem);
  const std::string key = write_temp_file("reload-key-" + to_string(GetParam()) + ".pem", server_cert_.key_pem);
  ServerTlsOptions tls;
  tls.identities = {{.cert_chain_file = cert, .private_key_file = key}};
  tls.reload_interval = 100ms;
  auto server = start(tls);
  auto old_client = client(*server, client_tls());
  EXPECT_EQ(echo(old_client), "hi");

  // Rotate to a certificate of another CA, each file replaced at once
  // (a rename, as cert-manager and Kubernetes do).
  const IssuedCertificate rotated = other_ca_.localhost_server();
  std::filesystem::rename(write_temp_file("new-cert.pem", rotated.cert_pem), cert);
  std::filesystem::rename(write_temp_file("new-key.pem", rotated.key_pem), key);

  ChannelTlsOptions trusts_new;
  trusts_new.ca_pem = other_ca_.cert_pem();
  EXPECT_TRUE(eventually([&] { return failure_of(client(*server, trusts_new)).code == StatusCode::OK; }, 5s));
  EXPECT_EQ(failure_of(client(*server, client_tls())).code, StatusCode::UNAVAILABLE);  // a new connection, old CA
  EXPECT_EQ(echo(old_client), "hi");  // the connection made before the rotation
}

TEST_P(TlsTest, ForcedReloadAndABadFileKeepsTheOldCertificate) {
  LogCapture log;
  const std::string cert = write_temp_file("forced-cert-" + to_string(GetParam()) + ".pem", server_cert_.cert_pem);
  const std::string key = write_temp_file("forced-key-" + to_string(GetParam()) + ".pem", server_cert_.key_pem);
  ServerTlsOptions tls;
  tls.identities = {{.cert_chain_file = cert, .private_key_file = key}};
  tls.reload_interval = 0ms;
  auto server = start(tls);
  write_temp_file("forced-cert-" + to_string(GetParam()) + ".pem", "not a certificate");
  EXPECT_FALSE(server->server().reload_tls());
  EXPECT_EQ(log.count_containing("TLS certificates cannot be reloaded, keeping the old ones"), 1u);
  EXPECT_EQ(echo(client(*server, client_tls())), "hi");
}

TEST(TlsOptionsTest, UnusableFilesFailStartWithTheFileAndReason) {
  ServerOptions options;
  options.listen = {"127.0.0.1:0"};
  options.tls.emplace();
  options.tls->identities = {{.cert_chain_file = "/nonexistent/cert.pem", .private_key_file = "/nonexistent/key.pem"}};
  Server server(options);
  try {
    server.start();
    FAIL() << "start() accepted a missing certificate";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("TLS: cannot load the certificate chain /nonexistent/cert.pem"),
              std::string::npos)
        << e.what();
  }
}

TEST(TlsOptionsTest, AChannelWithAnUnusableCaFileFailsEachCallSayingWhy) {
  ChannelOptions options;
  options.tls.emplace();
  options.tls->ca_file = "/nonexistent/ca.pem";
  const Failure failure = failure_of(Tester::Client(Channel("127.0.0.1:1", options)));
  EXPECT_EQ(failure.code, StatusCode::UNAVAILABLE);
  EXPECT_NE(failure.message.find("TLS: cannot load the CA certificates /nonexistent/ca.pem"), std::string::npos)
      << failure.message;
}

INSTANTIATE_TEST_SUITE_P(Styles, TlsTest, ::testing::Values(Style::kBlocking, Style::kCoroutine),
                         [](const auto& info) { return to_string(info.param); });

}  // namespace
}  // namespace idlrpc::test
