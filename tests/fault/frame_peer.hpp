// A peer that speaks idlrpc's wire protocol frame by frame, from its own
// copy of the schema (fault_frame.capnp, as a second implementation would
// have it, docs/protocol.md): plain blocking sockets, Cap'n Proto's own
// framing (capnp::messageToFlatArray to write, expectedSizeInWordsFromPrefix
// to cut what arrives). Used by the attacker process (fault_peer.cpp) and
// by the protocol edge-case tests (protocol_edge_test.cpp). One thread
// per socket.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <capnp/message.h>
#include <capnp/serialize.h>

#include "fault_frame.capnp.h"
#include "test_messages.hpp"

namespace idlrpc::fault {

inline constexpr std::uint64_t kHelloMagic = 0x01004350524c4449;

inline int connect_to(std::uint16_t port, int receive_buffer = 0) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  // A tiny receive buffer makes a peer that does not read fill up fast.
  if (receive_buffer > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends all of `bytes`; false once the server has closed the connection.
inline bool send_all(int fd, const void* bytes, std::size_t size) {
  const auto* at = static_cast<const char*>(bytes);
  while (size > 0) {
    const ssize_t n = ::send(fd, at, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    at += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

inline bool send_frame(int fd, capnp::MessageBuilder& message) {
  const auto bytes = capnp::messageToFlatArray(message);
  return send_all(fd, bytes.begin(), bytes.size() * sizeof(capnp::word));
}

/// What a HELLO announces (docs/protocol.md section 4).
struct HelloSettings {
  std::uint32_t stream_id = 0;
  std::uint32_t max_message_bytes = 4 * 1024 * 1024;
  std::uint32_t initial_window_bytes = 4 * 1024 * 1024;
  std::uint32_t connection_window_bytes = 16 * 1024 * 1024;
};

inline bool send_hello(int fd, const HelloSettings& settings = {}) {
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(settings.stream_id);
  auto hello = frame.initHello();
  hello.setMagic(kHelloMagic);
  hello.setVersion(1);
  hello.setMaxMessageBytes(settings.max_message_bytes);
  hello.setInitialWindowBytes(settings.initial_window_bytes);
  hello.setConnectionWindowBytes(settings.connection_window_bytes);
  return send_frame(fd, message);
}

/// HEADERS for `method` on `stream`: `metadata` as given, then
/// `metadata_bytes` more in "x-bomb" values of up to 64 KiB.
inline bool send_headers(int fd, std::uint32_t stream, std::string_view method, std::size_t metadata_bytes = 0,
                         std::uint64_t timeout_micros = 0,
                         const std::vector<std::pair<std::string, std::string>>& metadata = {}) {
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(stream);
  auto headers = frame.initHeaders();
  headers.setMethod(capnp::Text::Reader(method.data(), method.size()));
  headers.setTimeoutMicros(timeout_micros);
  constexpr std::size_t kValue = 64 * 1024;
  const std::size_t bombs = (metadata_bytes + kValue - 1) / kValue;
  if (bombs + metadata.size() > 0) {
    auto list = headers.initMetadata(static_cast<unsigned>(bombs + metadata.size()));
    unsigned i = 0;
    for (const auto& [key, value] : metadata) {
      list[i].setKey(capnp::Text::Reader(key.data(), key.size()));
      list[i++].setValue(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(value.data()), value.size()));
    }
    const std::string value(kValue, 'v');
    for (; i < list.size(); ++i) {
      list[i].setKey("x-bomb");
      list[i].setValue(capnp::Data::Reader(reinterpret_cast<const kj::byte*>(value.data()), value.size()));
    }
  }
  return send_frame(fd, message);
}

inline bool send_request(int fd, std::uint32_t stream, const idlrpc::test::TestRequest& request, bool end_stream) {
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(stream);
  auto body = frame.initMessage();
  idlrpc::wire::encode(body.getPayload(), request);
  body.setEndStream(end_stream);
  return send_frame(fd, message);
}

inline bool send_cancel(int fd, std::uint32_t stream, std::uint16_t code = 1, std::string_view why = {}) {
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(stream);
  auto cancel = frame.initCancel();
  cancel.setCode(code);
  cancel.setMessage(capnp::Text::Reader(why.data(), why.size()));
  return send_frame(fd, message);
}

inline bool send_window_update(int fd, std::uint32_t stream, std::uint32_t bytes) {
  capnp::MallocMessageBuilder message;
  auto frame = message.initRoot<Frame>();
  frame.setStreamId(stream);
  frame.initWindowUpdate().setBytes(bytes);
  return send_frame(fd, message);
}

inline bool send_ping(int fd, std::uint64_t opaque) {
  capnp::MallocMessageBuilder message;
  auto ping = message.initRoot<Frame>().initPing();
  ping.setOpaque(opaque);
  return send_frame(fd, message);
}

// Whether the server has closed `fd` (reads and drops what is waiting).
inline bool closed_by_server(int fd) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n == 0) return true;
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
  }
}

// Whether the server has closed `fd`, without reading anything (a peer
// that does not read): a write of nothing would not tell, so this polls
// for the error a reset leaves.
inline bool reset_by_server(int fd) {
  int error = 0;
  socklen_t size = sizeof error;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
  return error != 0;
}

/// One frame received, with the memory it lives in.
class Received {
 public:
  explicit Received(kj::Array<capnp::word> words)
      : words_(std::move(words)), reader_(std::make_unique<capnp::FlatArrayMessageReader>(words_)) {}
  Frame::Reader frame() const { return reader_->getRoot<Frame>(); }
  Frame::Which which() const { return frame().which(); }
  std::uint32_t stream() const { return frame().getStreamId(); }
  std::size_t size_bytes() const { return words_.size() * sizeof(capnp::word); }

 private:
  kj::Array<capnp::word> words_;
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
};

/// A connection to a server, frame by frame. The constructor connects and
/// (unless told not to) sends a HELLO; reading the server's HELLO is left
/// to the test (next()).
class FramePeer {
 public:
  explicit FramePeer(std::uint16_t port, std::optional<HelloSettings> hello = HelloSettings{})
      : fd_(connect_to(port)) {
    if (hello) send_hello(fd_, *hello);
  }
  ~FramePeer() {
    if (fd_ >= 0) close(fd_);
  }
  FramePeer(const FramePeer&) = delete;
  FramePeer& operator=(const FramePeer&) = delete;

  int fd() const { return fd_; }
  bool connected() const { return fd_ >= 0; }
  /// Whether the server closed the connection (seen by next()).
  bool closed() const { return closed_; }

  bool send(capnp::MessageBuilder& message) { return send_frame(fd_, message); }

  /// The next frame, or nothing when the server closed the connection or
  /// sent nothing whole within `limit`.
  std::optional<Received> next(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      if (buffer_.size() >= sizeof(capnp::word)) {
        auto words = kj::heapArray<capnp::word>(buffer_.size() / sizeof(capnp::word));
        std::memcpy(words.begin(), buffer_.data(), words.size() * sizeof(capnp::word));
        const std::size_t need = capnp::expectedSizeInWordsFromPrefix(words);
        if (need <= words.size()) {
          auto frame = kj::heapArray<capnp::word>(words.slice(0, need));
          buffer_.erase(0, need * sizeof(capnp::word));
          return Received(std::move(frame));
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (closed_ || left.count() <= 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
      char chunk[65536];
      const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = true;
      } else {
        buffer_.append(chunk, static_cast<std::size_t>(n));
      }
    }
  }

  /// The next frame that is not one of flow control's or a HEADERS with
  /// initial metadata (what most tests do not look at).
  std::optional<Received> next_significant(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    for (;;) {
      auto frame = next(limit);
      if (!frame || (frame->which() != Frame::WINDOW_UPDATE && frame->which() != Frame::HEADERS)) return frame;
    }
  }

  /// Reads until the server closes the connection; true if it did within `limit`.
  bool wait_closed(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!closed_ && std::chrono::steady_clock::now() < until) {
      next(std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()));
    }
    return closed_;
  }

 private:
  int fd_ = -1;
  bool closed_ = false;
  std::string buffer_;
};

}  // namespace idlrpc::fault
