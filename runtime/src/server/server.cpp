#include "idlrpc/server.hpp"

#include "health/health_service.hpp"
#include "server/server_core.hpp"

namespace idlrpc {

Server::Server(ServerOptions options) : core_(std::make_shared<detail::ServerCore>(std::move(options))) {}

Server::~Server() = default;  // ServerCore's destructor shuts down

void Server::listen(std::string address) { core_->listen(std::move(address)); }
void Server::add_service(Service& service) { core_->add_service(service.definition()); }
Health& Server::enable_health() {
  if (Health* enabled = core_->health()) return *enabled;
  auto state = std::make_shared<detail::HealthState>();
  auto service = std::make_unique<detail::HealthService>(state);
  add_service(*service);
  return core_->set_health(std::move(state), std::move(service));
}

void Server::start() { core_->start(); }
std::uint16_t Server::port(std::size_t index) const { return core_->port(index); }
bool Server::reload_tls() { return core_->reload_tls(); }
void Server::shutdown(std::chrono::milliseconds grace) { core_->shutdown(grace); }
void Server::wait() { core_->wait(); }
void Server::shutdown_on_signals(std::chrono::milliseconds grace) { core_->shutdown_on_signals(grace); }

}  // namespace idlrpc
