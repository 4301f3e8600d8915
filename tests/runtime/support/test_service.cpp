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
void Tester::Service::Count(idlrpc::ServerContext&, const TestRequest&, idlrpc::ServerWriter<TestResponse>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Count is not implemented");
}
TestResponse Tester::Service::Sum(idlrpc::ServerContext&, idlrpc::ServerReader<TestRequest>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Sum is not implemented");
}
void Tester::Service::Chat(idlrpc::ServerContext&, idlrpc::ServerReaderWriter<TestResponse, TestRequest>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Chat is not implemented");
}
idlrpc::Task<void> Tester::AsyncService::Count(idlrpc::ServerContext&, const TestRequest&,
                                               idlrpc::AsyncServerWriter<TestResponse>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Count is not implemented");
  co_return;
}
idlrpc::Task<TestResponse> Tester::AsyncService::Sum(idlrpc::ServerContext&, idlrpc::AsyncServerReader<TestRequest>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Sum is not implemented");
  co_return TestResponse{};
}
idlrpc::Task<void> Tester::AsyncService::Chat(idlrpc::ServerContext&,
                                              idlrpc::AsyncServerReaderWriter<TestResponse, TestRequest>&) {
  throw idlrpc::Error(idlrpc::StatusCode::UNIMPLEMENTED, "method Chat is not implemented");
  co_return;
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
  def.add_server_streaming<TestRequest, TestResponse>(kCount, [this](auto& c, auto& r, auto& w) { Count(c, r, w); });
  def.add_client_streaming<TestRequest, TestResponse>(kSum, [this](auto& c, auto& r) { return Sum(c, r); });
  def.add_bidi_streaming<TestRequest, TestResponse>(kChat, [this](auto& c, auto& s) { Chat(c, s); });
  return def;
}

idlrpc::ServiceDefinition Tester::AsyncService::definition() {
  idlrpc::ServiceDefinition def(kServiceName);
  def.add_async_unary<TestRequest, TestResponse>(
      kEcho, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Echo(c, r); });
  def.add_async_unary<TestRequest, TestResponse>(
      kForward, [this](idlrpc::ServerContext& c, const TestRequest& r) { return Forward(c, r); });
  def.add_async_server_streaming<TestRequest, TestResponse>(
      kCount, [this](auto& c, auto& r, auto& w) { return Count(c, r, w); });
  def.add_async_client_streaming<TestRequest, TestResponse>(kSum, [this](auto& c, auto& r) { return Sum(c, r); });
  def.add_async_bidi_streaming<TestRequest, TestResponse>(kChat, [this](auto& c, auto& s) { return Chat(c, s); });
  return def;
}

}  // namespace idlrpc::test
