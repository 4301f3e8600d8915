// The base of every generated server skeleton, which is all a server's
// blocking code needs to name: Server::add_service takes one. How a
// skeleton registers its methods (ServiceDefinition, with Asio and Cap'n
// Proto behind it) is in service.hpp, which only the generated .cpp
// includes.
#pragma once

namespace idlrpc {

class Server;
class ServiceDefinition;  // service.hpp

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
