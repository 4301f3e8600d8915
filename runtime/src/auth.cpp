#include "idlrpc/auth.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <variant>

#include "idlrpc/error.hpp"
#include "idlrpc/server_context.hpp"

namespace idlrpc {
namespace {

constexpr std::string_view kAuthorization = "authorization";
constexpr std::string_view kBearer = "Bearer ";

// The token of "authorization: Bearer <token>" (the scheme is
// case-insensitive, RFC 7235), or a reason it is missing.
std::optional<std::string_view> bearer_token_of(const ServerContext& context, std::string& why) {
  const auto header = context.client_metadata().get(kAuthorization);
  if (!header) {
    why = "missing credentials: send \"authorization: Bearer <token>\" metadata";
    return std::nullopt;
  }
  const bool bearer = header->size() > kBearer.size() &&
                      std::equal(kBearer.begin(), kBearer.end(), header->begin(), [](char a, char b) {
                        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                      });
  if (!bearer) {
    why = "malformed credentials: the authorization metadata must be \"Bearer <token>\"";
    return std::nullopt;
  }
  return header->substr(kBearer.size());
}

constexpr std::string_view kInvalidToken = "invalid bearer token";

// One interceptor for both kinds of validator: the header is read the same
// way, only the check differs.
class BearerTokenAuth final : public ServerInterceptor {
 public:
  explicit BearerTokenAuth(std::variant<TokenValidator, AsyncTokenValidator> validate)
      : validate_(std::move(validate)) {}
  Admission on_start(ServerContext& context) override {
    std::string why;
    const auto token = bearer_token_of(context, why);
    if (!token) return Admission::reject(StatusCode::UNAUTHENTICATED, std::move(why));
    if (const auto* validate = std::get_if<AsyncTokenValidator>(&validate_)) {
      return check((*validate)(std::string(*token)), context);
    }
    auto principal = std::get<TokenValidator>(validate_)(*token);
    if (!principal) return Admission::reject(StatusCode::UNAUTHENTICATED, std::string(kInvalidToken));
    context.set_principal(std::move(*principal));
    return {};
  }

 private:
  // The context belongs to the call, which the runtime keeps alive while
  // the check runs.
  static Task<void> check(Task<std::optional<std::string>> validation, ServerContext& context) {
    auto principal = co_await std::move(validation);
    if (!principal) throw Error(StatusCode::UNAUTHENTICATED, std::string(kInvalidToken));
    context.set_principal(std::move(*principal));
  }
  std::variant<TokenValidator, AsyncTokenValidator> validate_;
};

class PeerAllowList final : public ServerInterceptor {
 public:
  explicit PeerAllowList(std::vector<PeerRule> rules) : rules_(std::move(rules)) {}
  Admission on_start(ServerContext& context) override {
    const PeerIdentity& peer = context.peer_identity();
    if (!peer.has_certificate()) {
      return Admission::reject(StatusCode::UNAUTHENTICATED,
                               "a client certificate is required (connect with mutual TLS)");
    }
    for (const auto& rule : rules_) {
      if (!context.method().starts_with(rule.methods)) continue;
      for (const auto& allowed : rule.peers) {
        if (auto name = match(peer, allowed)) {
          context.set_principal(std::move(*name));
          return {};
        }
      }
    }
    return Admission::reject(StatusCode::PERMISSION_DENIED,
                             "the client certificate (" + describe(peer) + ") may not call " + context.method());
  }

 private:
  static std::optional<std::string> match(const PeerIdentity& peer, const std::string& allowed) {
    for (const auto* names : {&peer.uri_sans, &peer.dns_sans}) {
      for (const auto& name : *names) {
        if (allowed == "*" || name == allowed) return name;
      }
    }
    if (allowed == "*") return peer.subject;
    return std::nullopt;
  }
  static std::string describe(const PeerIdentity& peer) {
    if (!peer.uri_sans.empty()) return peer.uri_sans.front();
    if (!peer.dns_sans.empty()) return peer.dns_sans.front();
    return peer.subject;
  }
  std::vector<PeerRule> rules_;
};

class BearerToken final : public CallCredentials {
 public:
  explicit BearerToken(std::function<std::string()> source) : source_(std::move(source)) {}
  Admission apply(ClientCallInfo& call) override {
    call.metadata.add(kAuthorization, std::string(kBearer) + source_());
    return {};
  }

 private:
  std::function<std::string()> source_;
};

class AsyncBearerToken final : public CallCredentials {
 public:
  explicit AsyncBearerToken(std::function<Task<std::string>()> source) : source_(std::move(source)) {}
  Admission apply(ClientCallInfo& call) override { return add(source_(), call.metadata); }

 private:
  // The metadata belongs to the call, alive while the credentials run.
  static Task<void> add(Task<std::string> token, Metadata& metadata) {
    metadata.add(kAuthorization, std::string(kBearer) + co_await std::move(token));
  }
  std::function<Task<std::string>()> source_;
};

}  // namespace

std::shared_ptr<ServerInterceptor> bearer_token_auth(TokenValidator validate) {
  return std::make_shared<BearerTokenAuth>(std::move(validate));
}

std::shared_ptr<ServerInterceptor> bearer_token_auth_async(AsyncTokenValidator validate) {
  return std::make_shared<BearerTokenAuth>(std::move(validate));
}

std::shared_ptr<ServerInterceptor> allow_peers(std::vector<PeerRule> rules) {
  return std::make_shared<PeerAllowList>(std::move(rules));
}

std::shared_ptr<CallCredentials> bearer_token(std::string token) {
  return std::make_shared<BearerToken>([token = std::move(token)] { return token; });
}

std::shared_ptr<CallCredentials> bearer_token(std::function<std::string()> source) {
  return std::make_shared<BearerToken>(std::move(source));
}

std::shared_ptr<CallCredentials> bearer_token_async(std::function<Task<std::string>()> source) {
  return std::make_shared<AsyncBearerToken>(std::move(source));
}

}  // namespace idlrpc
