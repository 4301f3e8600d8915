// A subchannel's health check (docs/scaling.md, "Health-aware balancing";
// gRPC's client-side health checking, gRFC A17): the Watch stream of
// idlrpc.health.v1.Health for one service, on the subchannel's own
// connection. The same connection, not a second one, so the answer is the
// very server the calls reach (behind an L4 proxy a second connection can
// land on another replica), and a server that goes away ends both.
//
// Threads: everything on the channel's I/O thread.
// Ownership: the subchannel's Ready state owns the watch; destroying it
// cancels the stream, and nothing is reported after that.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "idlrpc/health.hpp"
#include "idlrpc/status.hpp"

namespace idlrpc::detail {

class ChannelCore;
class ClientConnection;
class StreamingClientCall;

class HealthWatch {
 public:
  /// The server sent its status for the service.
  struct Reported {
    ServingStatus status;
  };
  /// The stream ended (the server has no health service: UNIMPLEMENTED).
  struct Ended {
    StatusCode code;
    std::string message;
  };
  using Event = std::variant<Reported, Ended>;
  /// Hears every event, in order; Ended is the last.
  using Report = std::function<void(Event)>;

  /// Opens the watch of `service` ("" for the whole server) on
  /// `connection`, which must be ready.
  HealthWatch(const std::shared_ptr<ChannelCore>& channel, ClientConnection& connection, std::string_view service,
              Report report);
  ~HealthWatch();
  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

 private:
  static void read_next(std::shared_ptr<StreamingClientCall> call, std::weak_ptr<Report> report);

  std::shared_ptr<StreamingClientCall> call_;
  // Shared with the pending read's callback, weakly: once this is gone,
  // a completion still on its way reports nothing.
  std::shared_ptr<Report> report_;
};

}  // namespace idlrpc::detail
