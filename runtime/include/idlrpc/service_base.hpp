// The base of every generated server skeleton, which is all a server's
// blocking code needs to name: Server::add_service takes one. How a
// skeleton registers its methods (ServiceDefinition, with Cap'n Proto
// behind it) is in service_definition.hpp and service.hpp, which only the
// generated code includes.
#pragma once

namespace idlrpc {

class Server;
class ServiceDefinition;  // service_definition.hpp

/// Base of every generated skeleton (`Teams::Service`, `Teams::AsyncService`).
/// Register an instance with Server::add_service; it must outlive the server.
class Service {
 public:
  virtual ~Service() = default;

 private:
  friend class Server;
  virtual ServiceDefinition definition() = 0;
};

}  // namespace idlrpc
