#include "server/server_connection.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <random>
#include <vector>

#include <boost/asio/write.hpp>
#include <fmt/format.h>

#include "idlrpc/detail/status_messages.hpp"
#include "log.hpp"
#include "server/http_endpoints.hpp"
#include "server/server_core.hpp"
#include "transport/metadata_codec.hpp"
#include "transport/tls_context.hpp"
#include "transport/tls_stream.hpp"

namespace idlrpc::detail {

namespace {

// Stream ids are at most 2^31-1 (docs/protocol.md section 5), as in HTTP/2.
constexpr std::uint32_t kMaxStreamId = 0x7fffffff;
// With no call open, a client has no reason to ping more often than this.
constexpr auto kPingIntervalWithoutCalls = std::chrono::hours(2);

}  // namespace

ServerConnection::ServerConnection(Socket socket, std::string peer, ConnectionSettings local, ConnectionPolicy policy,
                                   ServerCore& core)
    : Connection(std::move(socket), std::move(peer), local, std::move(policy)),
      core_(core),
      timer_(executor()),
      age_timer_(executor()) {}

bool ServerConnection::accept_ping() {
  const auto now = std::chrono::steady_clock::now();
  const auto& options = core_.options();
  if (options.min_ping_interval.count() == 0) return true;  // not enforced
  // Sending data since the last ping forgives the strikes: a client that
  // pings to keep a quiet stream alive is not abusing us.
  if (messages_sent() != messages_sent_at_last_ping_) ping_strikes_ = 0;
  messages_sent_at_last_ping_ = messages_sent();
  const auto allowed = calls_.empty() ? std::max<std::chrono::steady_clock::duration>(options.min_ping_interval,
                                                                                       kPingIntervalWithoutCalls)
                                      : std::chrono::steady_clock::duration(options.min_ping_interval);
  const bool too_soon = last_ping_ != std::chrono::steady_clock::time_point{} && now - last_ping_ < allowed;
  last_ping_ = now;
  if (!too_soon || ++ping_strikes_ <= options.max_ping_strikes) return true;
  log(LogLevel::kWarning, "{}: too many pings (more than {} within {} s of each other): closing", describe(),
      options.max_ping_strikes, std::chrono::duration_cast<std::chrono::seconds>(allowed).count());
  send_go_away(last_stream_id_, StatusCode::RESOURCE_EXHAUSTED, status_text::kTooManyPings);
  abort(fmt::format("connection closed: {}", status_text::kTooManyPings));
  return false;
}

void ServerConnection::on_backlog_cleared() { resume_writes(calls_); }

void ServerConnection::begin(ListenerRole role) {
  role_ = role;
  arm_timer(std::chrono::steady_clock::now() + core_.options().handshake_timeout);
  // Every client speaks first (an idlrpc HELLO, a TLS ClientHello, an HTTP
  // request), so waiting for its first bytes costs no round trip.
  socket().async_wait(Socket::wait_read,
                      [self = std::static_pointer_cast<ServerConnection>(shared_from_this())](
                          const boost::system::error_code& error) { self->on_first_byte(error); });
}

void ServerConnection::on_first_byte(const boost::system::error_code& error) {
  if (!is_open()) return;  // the handshake timer fired first
  std::array<char, 4> first{};
  std::size_t peeked = 0;
  boost::system::error_code peek_error = error;
  if (!peek_error) peeked = socket().receive(boost::asio::buffer(first), Socket::message_peek, peek_error);
  if (peek_error || peeked == 0) {
    close("");  // gone before saying anything: a port scanner, a TCP health check
    return;
  }
  if (role_ == ListenerRole::kHttpOnly) {
    serve_http();
    return;
  }
  ServerTlsContexts* tls = core_.tls();
  bool plaintext_allowed = true;
  if (tls != nullptr) {
    boost::system::error_code ignored;
    const bool unix_socket = socket().local_endpoint(ignored).protocol().family() == AF_UNIX;
    const PlaintextClients plaintext = tls->options().plaintext;
    plaintext_allowed = unix_socket || plaintext == PlaintextClients::kAllowed ||
                        (plaintext == PlaintextClients::kLoopback && confidential());
  }
  if (role_ == ListenerRole::kCallsAndHttp) {
    switch (HttpEndpoints::sniff(std::string_view(first.data(), peeked))) {
      case HttpEndpoints::Sniff::kHttp:
        if (plaintext_allowed) {
          serve_http();
        } else {
          log_limited(LogLevel::kWarning,
                      fmt::format("{}: a plaintext HTTP request on a TLS port: refused (ServerOptions::http.listen "
                                  "serves the HTTP endpoints on an address of their own)",
                                  describe()));
          discard_input();
          close("");
        }
        return;
      case HttpEndpoints::Sniff::kMaybe: {
        // "G" or "GE" so far: look again shortly (the handshake timer
        // still bounds the wait).
        auto retry = std::make_shared<boost::asio::steady_timer>(executor(), std::chrono::milliseconds(10));
        retry->async_wait([self = std::static_pointer_cast<ServerConnection>(shared_from_this()),
                           retry](const boost::system::error_code&) { self->on_first_byte({}); });
        return;
      }
      case HttpEndpoints::Sniff::kNotHttp:
        break;
    }
  }
  if (starts_tls(static_cast<unsigned char>(first[0]))) {
    if (tls == nullptr) {
      discard_input();
      close("the client started a TLS handshake, but this server has no TLS (ServerOptions::tls)");
      return;
    }
    use_tls(std::make_unique<TlsStream>(socket(), tls->current()));
    start();
    return;
  }
  if (!plaintext_allowed) {
    refuse_plaintext("a plaintext client on a TLS port: refused",
                     "this server requires TLS: connect with tls://host:port (ChannelOptions::tls)");
    return;
  }
  start();
}

void ServerConnection::serve_http() {
  http_.clear();
  http_.reserve(1024);
  read_http();
}

void ServerConnection::read_http() {
  const std::size_t have = http_.size();
  http_.resize(HttpEndpoints::kMaxRequestBytes);
  socket().async_read_some(
      boost::asio::buffer(http_.data() + have, http_.size() - have),
      [self = std::static_pointer_cast<ServerConnection>(shared_from_this()), have](
          const boost::system::error_code& error, std::size_t n) {
        if (!self->is_open()) return;  // the handshake timer: a client too slow to send its request
        self->http_.resize(have + n);
        if (error) {
          self->close("");
          return;
        }
        const std::size_t head = HttpEndpoints::head_length(self->http_);
        const bool too_large = head == 0 && self->http_.size() >= HttpEndpoints::kMaxRequestBytes;
        if (head == 0 && !too_large) {
          self->read_http();
          return;
        }
        self->http_ = self->core_.http_endpoints().respond(std::string_view(self->http_).substr(0, head), too_large);
        boost::asio::async_write(self->socket(), boost::asio::buffer(self->http_),
                                 [self](const boost::system::error_code&, std::size_t) {
                                   self->discard_input();
                                   self->close("");
                                 });
      });
}

void ServerConnection::refuse_plaintext(const std::string& line, const std::string& reason) {
  discard_input();
  log_limited(LogLevel::kWarning, fmt::format("{}: {}", describe(), line));
  send_go_away(0, StatusCode::UNAVAILABLE, reason);
  close_after_flush();
}

void ServerConnection::discard_input() {
  std::array<char, 4096> sink;
  boost::system::error_code error;
  // A few reads at most: what a client sends before it hears from us.
  for (int i = 0; i < 4 && socket().available(error) > 0 && !error; ++i) {
    socket().receive(boost::asio::buffer(sink), 0, error);
  }
}

void ServerConnection::arm_timer(std::chrono::steady_clock::time_point when) {
  timer_.expires_at(when);
  timer_.async_wait([self = std::static_pointer_cast<ServerConnection>(shared_from_this())](
                        const boost::system::error_code& error) {
    if (!error) self->on_timer();
  });
}

void ServerConnection::on_timer() {
  if (!is_open()) return;
  if (!ready_) {
    close(fmt::format("no handshake within {} ms", core_.options().handshake_timeout.count()));
    return;
  }
  const auto idle = core_.options().idle_timeout;
  if (idle.count() == 0) return;
  const auto idle_until = last_activity_ + idle;
  if (calls_.empty() && std::chrono::steady_clock::now() >= idle_until) {
    // GOAWAY first, so a client does not start a call on a closing connection.
    log(LogLevel::kInfo, "{} idle for {} ms: closing", describe(), idle.count());
    drain();
    return;
  }
  arm_timer(std::max(idle_until, std::chrono::steady_clock::now() + idle / 2));
}

void ServerConnection::arm_age_timer() {
  const auto age = core_.options().max_connection_age;
  if (age.count() == 0) return;
  thread_local std::minstd_rand random(std::random_device{}());
  const auto jitter = std::uniform_int_distribution<std::int64_t>(0, age.count() / 10)(random);
  age_timer_.expires_after(age - std::chrono::milliseconds(jitter));
  age_timer_.async_wait([self = std::static_pointer_cast<ServerConnection>(shared_from_this())](
                            const boost::system::error_code& error) {
    if (error || !self->is_open()) return;
    self->drain(status_text::kMaxConnectionAge);
    const auto grace = self->core_.options().max_connection_age_grace;
    if (grace.count() == 0 || !self->is_open()) return;
    self->age_timer_.expires_after(grace);
    self->age_timer_.async_wait([self](const boost::system::error_code& error) {
      if (!error) self->abort(std::string(status_text::kMaxConnectionAge));
    });
  });
}

void ServerConnection::on_ready() {
  ready_ = true;
  arm_age_timer();
  last_activity_ = std::chrono::steady_clock::now();
  if (core_.options().idle_timeout.count() == 0) {
    timer_.cancel();
  } else {
    arm_timer(last_activity_ + core_.options().idle_timeout);
  }
}

void ServerConnection::on_frame(protocol::Frame::Reader frame, kj::ArrayPtr<const capnp::word> raw) {
  const std::uint32_t id = frame.getStreamId();
  if (frame.which() == protocol::Frame::HEADERS) {
    if (id == 0 || id <= last_stream_id_) {
      throw ProtocolError(fmt::format("HEADERS reuses stream id {} (last opened: {})", id, last_stream_id_));
    }
    if (id > kMaxStreamId) {
      throw ProtocolError(fmt::format("HEADERS on stream id {}: ids end at 2^31-1", id));
    }
    last_stream_id_ = id;
    last_activity_ = std::chrono::steady_clock::now();
    open_call(id, frame.getHeaders());
    return;
  }
  if (frame.which() == protocol::Frame::GO_AWAY) {
    close_after_flush();  // the client is leaving
    return;
  }
  auto it = calls_.find(id);
  if (it == calls_.end()) return;  // a call that already ended: late frames are harmless
  auto call = it->second;          // keeps it alive if it finishes itself
  call->on_frame(frame, raw);
}

std::optional<ServerConnection::Refusal> ServerConnection::refusal(protocol::Headers::Reader headers) const {
  const auto& options = core_.options();
  if (draining_) return Refusal{StatusCode::UNAVAILABLE, std::string(status_text::kShuttingDown), true};
  if (calls_.size() + orphaned_handlers_ >= local_settings().max_concurrent_streams) {
    // Handlers of ended calls hold slots the client does not count.
    return Refusal{StatusCode::RESOURCE_EXHAUSTED, status_text::too_many_calls(local_settings().max_concurrent_streams),
                   true};
  }
  if (const std::size_t cost = metadata_cost(headers.getMetadata());
      MetadataLimits{options.metadata_soft_limit_bytes, options.metadata_hard_limit_bytes}.refuses(cost)) {
    const std::size_t limit = cost > options.metadata_hard_limit_bytes ? options.metadata_hard_limit_bytes
                                                                       : options.metadata_soft_limit_bytes;
    // Every server would say the same.
    return Refusal{StatusCode::RESOURCE_EXHAUSTED,
                   status_text::too_large(status_text::Oversized::kRequestMetadata, cost, limit), false};
  }
  if (core_.input_budget_exhausted()) {
    return Refusal{StatusCode::RESOURCE_EXHAUSTED, status_text::input_budget_exhausted(options.max_buffered_input_bytes),
                   true};
  }
  return std::nullopt;
}

void ServerConnection::open_call(std::uint32_t id, protocol::Headers::Reader headers) {
  if (auto refused = refusal(headers)) {
    if (refused->elsewhere) {
      send_refusal(id, refused->code, refused->message);
    } else {
      send_trailers(id, refused->code, refused->message);
    }
    return;
  }
  const std::string_view path(headers.getMethod().cStr(), headers.getMethod().size());
  const MethodEntry* method = core_.find_method(path);
  if (method == nullptr) {
    send_trailers(id, StatusCode::UNIMPLEMENTED, status_text::unknown_method(path));
    return;
  }
  auto call = ServerCall::create(std::static_pointer_cast<ServerConnection>(shared_from_this()), id, *method, headers);
  calls_.emplace(id, call);
  call->start();
}

void ServerConnection::call_finished(std::uint32_t id, bool handler_running) {
  calls_.erase(id);
  if (handler_running) ++orphaned_handlers_;
  last_activity_ = std::chrono::steady_clock::now();
  if (draining_ && calls_.empty()) close_after_flush();
}

void ServerConnection::handler_returned() { --orphaned_handlers_; }

void ServerConnection::drain(std::string_view why) {
  if (!is_open() || draining_) return;
  draining_ = true;
  send_go_away(last_stream_id_, StatusCode::UNAVAILABLE, why);
  if (calls_.empty()) close_after_flush();
}

void ServerConnection::abort(const std::string& reason) {
  if (!is_open()) return;
  draining_ = true;
  auto calls = calls_;  // cancel() erases from calls_
  for (auto& [id, call] : calls) call->end_call(StatusCode::UNAVAILABLE, reason, true);
  close_after_flush();
}

void ServerConnection::on_closed(const std::string& reason) {
  timer_.cancel();
  age_timer_.cancel();
  auto calls = std::move(calls_);
  calls_.clear();
  for (auto& [id, call] : calls) call->end_call(StatusCode::CANCELLED, reason, false);
  core_.connection_closed(this);
}

}  // namespace idlrpc::detail
