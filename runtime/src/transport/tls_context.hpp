// OpenSSL contexts built from ServerTlsOptions and ChannelTlsOptions, and
// the server's reloading of its certificate files.
//
// One SSL_CTX per identity, built once and shared by every connection that
// starts while it is current (OpenSSL 3 pays for building contexts and for
// per-handshake algorithm lookups under lock: docs/security.md). A reload
// builds a complete new set and swaps it in; connections hold the set they
// started with, so rotating files never touches an open connection.
//
// Threads: ServerTlsContexts::current() and reload() may be called from any
// thread (a mutex guards the swap); a TlsContextSet is immutable once built.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/ssl/context.hpp>

#include "idlrpc/tls.hpp"

namespace idlrpc::detail {

/// The ALPN protocol id of this protocol's version 1 (docs/protocol.md).
inline constexpr std::string_view kAlpnProtocol = "idlrpc/1";

/// A server's contexts: the first identity's, which SNI may switch to
/// another's. Reached from OpenSSL's callbacks through the SSL_CTX's
/// ex_data, so it must outlive every SSL made from it: connections hold
/// it by shared_ptr.
struct TlsContextSet {
  struct Entry {
    std::unique_ptr<boost::asio::ssl::context> context;
  };
  std::vector<Entry> entries;  // [0]: the default
  boost::asio::ssl::context& default_context() { return *entries.front().context; }
  /// The identity whose certificate names `server_name` (wildcards as in
  /// RFC 6125), or null.
  boost::asio::ssl::context* for_server_name(std::string_view server_name);
};

/// A server's current contexts, rebuilt when the files change.
class ServerTlsContexts {
 public:
  /// Builds the first set; throws std::invalid_argument naming the file
  /// and OpenSSL's reason when one cannot be used.
  explicit ServerTlsContexts(ServerTlsOptions options);

  const ServerTlsOptions& options() const noexcept { return options_; }
  /// The set a new connection uses; if reload_interval has passed since
  /// the last check, checks the files first and rebuilds on a change.
  std::shared_ptr<TlsContextSet> current();
  /// Rebuilds now; on failure keeps the old set and logs why. Returns
  /// whether a new set is in use.
  bool reload();

 private:
  struct FileStamp {
    std::string path;
    std::chrono::file_clock::time_point modified{};
    std::uintmax_t size = 0;
    bool operator==(const FileStamp&) const = default;
  };
  std::vector<FileStamp> stamp_files() const;

  const ServerTlsOptions options_;
  std::mutex mutex_;
  std::shared_ptr<TlsContextSet> current_;
  std::vector<FileStamp> stamps_;
  std::chrono::steady_clock::time_point last_check_;
};

/// Builds a server's set of contexts; throws std::invalid_argument.
std::shared_ptr<TlsContextSet> make_server_contexts(const ServerTlsOptions& options);

/// A channel's context (one per channel, for all its connections); throws
/// std::invalid_argument naming the file and the reason.
std::shared_ptr<boost::asio::ssl::context> make_client_context(const ChannelTlsOptions& options);

}  // namespace idlrpc::detail
