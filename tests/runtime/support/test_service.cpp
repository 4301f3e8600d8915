// What idlc writes into the service's .idl.cpp: default handlers that
// answer UNIMPLEMENTED, and the method registrations.
#include "test_service.hpp"

namespace idlrpc::test {

TestResponse Tester::Service::Echo(idlrpc::ServerContext&, const TestRequest&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Echo is not implemented");
}
TestResponse Tester::Service::Forward(idlrpc::ServerContext&, const TestRequest&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Forward is not implemented");
}
idlrpc::Task<TestResponse> Tester::AsyncService::Echo(idlrpc::ServerContext&, const TestRequest&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Echo is not implemented");
  co_return TestResponse{};
}
idlrpc::Task<TestResponse> Tester::AsyncService::Forward(idlrpc::ServerContext&, const TestRequest&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Forward is not implemented");
  co_return TestResponse{};
}

idlrpc::ServiceDefinition Tester::Service::definition() {
  idlrpc::ServiceDefinition def(kServiceName);
  def.add_unary<TestRequest, TestResponse>(
      kEcho, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Echo(c, r); });
  def.add_unary<TestRequest, TestResponse>(
      kForward, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Forward(c, r); });
  return def;
}

idlrpc::ServiceDefinition Tester::AsyncService::definition() {
  idlrpc::ServiceDefinition def(kServiceName);
  def.add_async_unary<TestRequest, TestResponse>(
      kEcho, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Echo(c, r); });
  def.add_async_unary<TestRequest, TestResponse>(
      kForward, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Forward(c, r); });
  return def;
}

}  // namespace idlrpc::test
